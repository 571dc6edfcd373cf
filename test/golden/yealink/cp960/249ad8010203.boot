#!version:1.0.0.1
## provd: boot file for 249ad8010203 (CP960). Files below are read in order, later wins.
include:config "y000000000073.cfg"
include:config "249ad8010203.cfg"
overwrite_mode = 1
specific_model.excluded_mode = 0
