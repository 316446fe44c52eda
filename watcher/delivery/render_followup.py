"""A development's follow-up as an Alert, so every channel renders it with render.py.

The follow-up is a reply to the story's alert, so the alert above it already says which story
it is; the follow-up is headed by what is new: "Development: " and the report's own headline,
then its outlet and time, the rules of the alert's channel the story matches since this report
(if any), its snippet and its link. Why it counts (developments.py) is in the headline itself:
the names and figures no earlier headline had, or the rules line.
"""

from __future__ import annotations

from watcher.model import Alert, FollowUp, Story

__all__ = ["followup_alert"]


def followup_alert(follow_up: FollowUp) -> Alert:
    item = follow_up.item
    headline = item.title.strip() or follow_up.story.title.strip() or "(untitled report)"
    story = Story(
        id=follow_up.story.id,
        title=f"Development: {headline}",
        first_seen=item.published,
        last_seen=item.published,
        items=(item,),
    )
    return Alert(story=story, rules=follow_up.rules)
