"""Settings every test process needs before anything imports xlwings."""

import os

# xlwings' remote engine (the live path's tests) needs a key; this one is for non-commercial and
# government use. Set here, first, so the order tests run in does not matter.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
