"""Writes about a child's advice, by sub-domain (``<entity>_<action>`` names, so ``grep outcome_`` finds them):

- definitions: publishing a form definition and freezing its versions;
- definition_files: importing a form definition file (and exporting one, audited);
- requests: sharing a request, accepting or returning its submission, and the one guarded transition of a
  request's state;
- due_dates: reminding accounts of due and overdue advice (daily and by hand), and changing a due date;
- drafts: saving a wizard step to a request's draft (draft_files: the documents its file answers name);
- submissions: submitting a draft, its reference, receipt and filed PDF;
- documents, outcomes, involvement: what professionals and caseworkers keep around the form;
- access_requests: a team account's request for access to a document, and the caseworker's refusal of it;
- coordinators: telling a child's co-ordinator of something waiting in the admin;
- moves: the one audited move of a request's, document's, outcome's or contact's state, and the lock a write on what
  hangs on a request takes first (request_lock).

Import the module that holds a service, e.g. ``from advice_forms.services import outcomes``.
"""
