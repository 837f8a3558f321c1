"""One BLAS thread, as the app runs (see streamlit_app.py): small-matrix calls stay fast."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
