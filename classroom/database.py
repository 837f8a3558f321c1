"""The class games' engine: the process's shared, migrated store engine (store.shared)."""

from store.shared import open_engine as open_store
from store.shared import shared_engine as shared_store

__all__ = ["open_store", "shared_store"]
