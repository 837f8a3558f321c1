"""The sandbox page's sections (Streamlit only), in the order the page draws them: the
walkthrough, 1 · the data, 2 · the model (checks, the fit and its time limit, the summary and
statsmodels' view), 3 · pooling, 4 · intervals. app_pages/sandbox.py chains them; the logic is
in the pure ``sandbox`` package.
"""
