"""Delivery I/O: console, Telegram and Slack channels behind one small Protocol (base.Channel).

Each channel module is imported on its own (telegram.py pulls in python-telegram-bot), so this
package only re-exports the protocol.
"""

from watcher.channels.base import Channel

__all__ = ["Channel"]
