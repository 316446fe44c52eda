"""Delivery: what the outbox holds, sent to the chats, in order, paced, within the desk's policy.

The stage, one module per thing it owns (the outbox rows themselves are store/outbox.py):

    deliverer.py       a delivery pass: every channel with something due, in parallel; admin
                       notices first on the admin channel; `drain` for one-shot commands
    turn.py            one channel's turn: its queue walked in order (head of line), each row
                       sent, edited, replied to, held or folded as desk_policy.py says; held
                       rows flushed as digests; an attempt's outcome recorded on its rows
    report.py          what a pass did (DeliveryReport): counts, and when it can go on
    desk_policy.py     the decision to send, hold or fold an alert: digest, quiet hours,
                       min_priority, max_per_hour (pure)
    attempt.py         one API call and its outcome, decided by the error's type: a 429
                       (flood control), a blocked or moved chat, a refusal, a transient error;
                       when to retry; the channel-wide effects and their admin notices
    pacing.py          how fast each chat API lets us send (pure sliding windows)
    admin_notices.py   incidents told once to the admin channel, and their resolution
    render_digest.py   digests, bursts and admin notices as Alerts, rendered by render.py
    render_followup.py a development's follow-up (a reply to its alert) as an Alert

Nothing is imported here, so a module that needs one part (config.py needs the desk policy)
does not load the rest.
"""
