"""The control's catalogue: data that findings, reports, evidence and docs read.

``codes`` holds the stable reason and warning codes, ``entries`` their texts (``CATALOGUE``),
``mappings`` the control's identity among other tools and frameworks. Nothing here decides a
verdict; ``control/`` (the judge) imports this package, never the other way round.
"""
