#!version:1.0.0.1
## provd: common boot file, read only by Yealink phones that find no <mac>.boot here.
## Each model includes its own common file through a [MODEL] prefix (fw >= 83). W52P, W56P, W53P,
## W60P, CP930W-Base and CP860 have no prefix token, so they get their files from a <mac>.boot.
[CP960]include:config "y000000000073.cfg"
[VP59]include:config "y000000000091.cfg"
[T58]include:config "y000000000058.cfg"
[T57W]include:config "y000000000097.cfg"
[T54W]include:config "y000000000096.cfg"
[T53W,T53]include:config "y000000000095.cfg"
[T48U]include:config "y000000000109.cfg"
[T46U]include:config "y000000000108.cfg"
[T43U]include:config "y000000000107.cfg"
[T42U]include:config "y000000000116.cfg"
[T29G]include:config "y000000000046.cfg"
[T23P,T23G]include:config "y000000000044.cfg"
[T19P_E2]include:config "y000000000053.cfg"
[CP920]include:config "y000000000078.cfg"
[T48S]include:config "y000000000065.cfg"
[T46S]include:config "y000000000066.cfg"
[T42S]include:config "y000000000067.cfg"
[T41S]include:config "y000000000068.cfg"
[T48G]include:config "y000000000035.cfg"
[T46G]include:config "y000000000028.cfg"
[T42G]include:config "y000000000029.cfg"
[T41P]include:config "y000000000036.cfg"
[T40P]include:config "y000000000054.cfg"
[T40G]include:config "y000000000076.cfg"
[T27G]include:config "y000000000069.cfg"
[T21P_E2]include:config "y000000000052.cfg"
overwrite_mode = 1
specific_model.excluded_mode = 0
