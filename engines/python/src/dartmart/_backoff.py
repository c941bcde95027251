"""A capped exponential delay with jitter, as the Java SDK's: the n-th consecutive failure waits about
``initial * 2**(n-1)`` seconds, never more than ``maximum``, drawn from [d/2, d] so that workers do not retry in step."""
import random


class Backoff:
    def __init__(self, initial, maximum, rand=random.random):
        if initial <= 0 or maximum < initial:
            raise ValueError("a back-off needs 0 < initial <= maximum, got %r and %r" % (initial, maximum))
        self.initial = initial
        self.maximum = maximum
        self._random = rand
        self.failures = 0

    def next(self):
        """The delay, in seconds, to wait after one more failure."""
        self.failures = min(self.failures + 1, 62)
        ceiling = min(self.initial * 2 ** (self.failures - 1), self.maximum)
        return ceiling / 2 + self._random() * ceiling / 2

    def reset(self):
        self.failures = 0
