"""`sitegen import`: turn a Jekyll or Hugo site into a sitegen site, once.

A reader per generator (`jekyll.py`, `hugo.py`) turns SOURCE into a `Draft`: the site config,
documents with sitegen front matter, media files and notes on what it could not convert. Both
share the body conversions (`bodies.py`). `finish.py` checks every document against sitegen's own
parser and routing (so each old URL is kept, by pattern or by an explicit `url`) and `output.py`
writes DEST. SOURCE is only read; the same SOURCE always gives the same bytes.
"""
