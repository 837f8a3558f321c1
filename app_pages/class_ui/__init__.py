"""The class game's host screens (Streamlit): the page app_pages/class_host.py draws them.

UI only; the logic is in the ``classroom`` package."""
