#!version:1.0.0.1
## provd: boot file for 0015659b5a44 (W52P). Files below are read in order, later wins.
include:config "y000000000025.cfg"
include:config "0015659b5a44.cfg"
overwrite_mode = 0
