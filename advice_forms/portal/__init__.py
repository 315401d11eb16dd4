"""The professional's side of advice forms in the portal: the dashboard, a request's page, its wizard, check answers
and submission, and the pages around the form (documents, outcomes, professional involvement)."""
