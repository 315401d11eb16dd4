"""The staff's side of advice forms in the Wagtail admin: casework (child records, sharing, the review queue, overdue
advice), a child record's documents, outcomes, involvement and contributions, and form design. Registered by
advice_forms/wagtail_hooks.py."""
