"""The desk talking back (issue 15): commands and button presses read from the chat.

commands.py  pure: command text -> Command, and every answer rendered (HTML, < 4096)
desk.py      what a command or a press does: reads and writes the store, splits a story
poller.py    one long-polling loop per bot: who may speak, offsets kept, answers sent
"""
