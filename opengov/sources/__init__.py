"""Data sources: hardened HTTP client, platform adapters, registry and concurrent runner.

No Streamlit here - this package is UI-agnostic. Errors are :class:`SourceError`
subclasses with a stable ``code`` the UI translates.
"""

from opengov.sources.http import ClientConfig, HttpClient, SourceError
from opengov.sources.registry import PortalSnapshot, PortalSpec, get_adapter, load_registry
from opengov.sources.runner import PortalResult, default_client_factory, refresh_all

__all__ = [
    "ClientConfig",
    "HttpClient",
    "PortalResult",
    "PortalSnapshot",
    "PortalSpec",
    "SourceError",
    "default_client_factory",
    "get_adapter",
    "load_registry",
    "refresh_all",
]
