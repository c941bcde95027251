"""The errors the SDK and the client raise."""


class DartApiError(Exception):
    """The API answered with an error status; carries the status and the server's ``error_message``.

    Transport failures (connection refused, timeouts) are not this error but ``OSError`` (``ConnectionError``,
    ``TimeoutError``).
    """

    def __init__(self, method, path, status, error_message):
        detail = "" if not error_message else ": " + error_message
        super().__init__("%s %s answered %d%s" % (method, path, status, detail))
        self.method = method
        self.path = path
        self.status = status
        self.error_message = error_message

    @property
    def retryable(self):
        """Whether the same call may succeed later unchanged: server faults (5xx), 408 and 429."""
        return self.status >= 500 or self.status in (408, 429)


class VersionConflict(DartApiError):
    """409: a stale ``version_id``, a duplicate unique name or a failed JSON Patch ``test``; nothing was changed."""


class ActionStopped(Exception):
    """Raised by ``ActionContext.sleep`` once the run was stopped (engine stopping, or the action no longer RUNNING).

    The SDK then checks the action in as FAILURE with the stop reason.
    """
