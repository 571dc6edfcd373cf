#!version:1.0.0.1
## provd: boot file for 805ec0d57d72 (T46U). Files below are read in order, later wins.
include:config "y000000000108.cfg"
include:config "805ec0d57d72.cfg"
overwrite_mode = 1
specific_model.excluded_mode = 0
