"""dart engines and clients in Python, standard library only.

``Engine`` declares an engine and runs it (pull workers or one launched action); ``dartmart.process.main(engine)``
is an engine process's ``main``; ``Client`` is the REST API. See the package's README.md.
"""
from .client import Client, Page
from .context import ActionContext
from .engine import Engine
from .errors import ActionStopped, DartApiError, VersionConflict

__all__ = ["ActionContext", "ActionStopped", "Client", "DartApiError", "Engine", "Page", "VersionConflict"]
