#!version:1.0.0.1
## provd: boot file for 00156574b150 (T21P_E2). Files below are read in order, later wins.
include:config "y000000000052.cfg"
include:config "00156574b150.cfg"
overwrite_mode = 1
specific_model.excluded_mode = 0
