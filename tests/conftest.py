"""Settings for the whole test suite."""

import os

# One BLAS thread, as the app runs (see streamlit_app.py): on this 2-core kind of machine
# OpenBLAS's thread start-up costs milliseconds per small-matrix call.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
