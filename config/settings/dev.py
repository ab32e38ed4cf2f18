"""Local development: debug on, mail printed to the console."""

from .base import *  # noqa: F403

DEBUG = True

# A webhook receiver on the developer's own machine (docs/webhooks.md).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
