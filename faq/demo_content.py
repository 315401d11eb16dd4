"""The words of the demo help section for the fictional Kestrelford Borough Council.

Written for this portal: it describes how OUR portal works (self-service backup codes, autosave,
one-click preview, "Request access"), never another portal's workarounds.
"""

from cms.demo import (
    COUNCIL_ADDRESS,
    ICT_EMAIL,
    SEND_PHONE,
    SEND_PHONE_HOURS,
    SENDIASS_NAME,
    SUPPORT_EMAIL,
    demo_words,
    phone_link,
    postal_address,
    sendiass_contact,
)

SUPPORT = f'<a href="mailto:{SUPPORT_EMAIL}">{SUPPORT_EMAIL}</a>'
ICT = f'<a href="mailto:{ICT_EMAIL}">{ICT_EMAIL}</a>'
# How a family reaches the SEND service: the same email and phone as the contact page (cms.demo).
SEND_CONTACT = (
    f"<ul><li>email: {SUPPORT}</li><li>phone: {phone_link(SEND_PHONE)} ({SEND_PHONE_HOURS})</li>"
    f"<li>letter: {postal_address('SEND Service', *COUNCIL_ADDRESS)}</li></ul>"
)
# The fictional council's Local Offer (the demo's own invention).
LOCAL_OFFER_URL = "https://localoffer.kestrelford.example.org"


FAQ_TITLE = "Frequently asked questions for professionals"
FAQ_INTRO = (
    "Answers to the questions schools, settings and services ask us most about signing in, "
    "completing forms, documents and outcomes."
)


# (group heading, [(question, answer html)]) in the order they appear on the page.
def faq_groups():
    """The FAQ's groups of (question, answer); built when loaded, as the Team and Type lists are read then."""
    return [
        (
            "About the portal",
            [
                (
                    "Who can use the portal?",
                    "<p>Any professional whose advice the SEND service asks for during an education, health and care "
                    "(EHC) needs assessment. That includes:</p><ul><li>schools and academies</li><li>early years "
                    "settings</li><li>post-16 colleges and training providers</li><li>educational psychologists</li>"
                    "<li>health professionals, including community paediatrics, nursing and therapies</li><li>speech "
                    "and language therapists</li><li>occupational therapists and physiotherapists</li><li>social care"
                    "</li></ul><p>Parents and carers do not need an account: see the questions for parents and carers "
                    "below.</p>",
                ),
                (
                    "How do I register?",
                    "<p>Register once for your whole team, using your organisation's shared work email address, not a "
                    "personal one. A school registers with its SENCO mailbox and uses a name such as “Kestrel Primary "
                    "SENCO”; a service registers with its team mailbox and uses the service's name, such as "
                    "“Educational Psychology Service”.</p><p>Choose <b>Register your team</b> on the home page, "
                    "choose your school, setting or service from the list, and create a password of at least 12 "
                    "characters. We email a link to that address: open it within 24 hours to confirm the address. "
                    "Then sign in and set up your authenticator app. Anyone who reads the shared mailbox can then "
                    "sign in, so your team keeps working when someone is away.</p><p>If your school, setting or "
                    "service is not in the list, open <b>My school, setting or service is not in the list</b> on the "
                    "same page and tell us what kind of organisation it is and its address. After you confirm your "
                    "email address, a portal administrator checks it and approves your account; we email you either "
                    "way. You do not need to email or phone anyone.</p>",
                ),
                (
                    "How does the portal work?",
                    "<p>When we need your advice about a child, we share a form with your team account. You get an "
                    "email that says a message is waiting (it never contains details about the child). Sign in, open "
                    "the message in your inbox and follow the link to the form.</p><p>The form is split into "
                    "sections with a task list. Everything you type is saved as you go. When you have finished, "
                    "check your answers, preview the PDF if you wish and submit. The SEND service then accepts your "
                    "advice, or returns the form with a note saying what else we need; you get a message either way. "
                    "Your team decides who writes the advice; it is always sent from the team account.</p>",
                ),
            ],
        ),
        (
            "Signing in",
            [
                (
                    "My authenticator app shows no accounts. What do I do?",
                    "<p>Your app only lists the portal once you have added it by scanning the QR code. Sign in to the "
                    "portal with your email address and password: the first time, the portal shows you a QR code. "
                    "In your app, add an account (often a + sign) and choose to scan a QR code, then point "
                    "your phone's camera at the screen. The app then shows “SEND portal” with a 6-digit code that "
                    "changes every 30 seconds. Type the current code into the portal.</p><p>If the code will not scan, "
                    "open <b>I cannot scan the QR code</b> and type the setup key shown into the app instead. Our "
                    '<a href="@@guide_sign_in@@">visual guide to signing in for the first time</a> '
                    "shows every step.</p>",
                ),
                (
                    "I have a new phone. How do I set up two-factor authentication again?",
                    "<p>You can do this yourself. Sign in with your password and, when asked for a code, type one "
                    "of the backup codes you saved when you first set up the portal instead. Then go to "
                    "<b>Sign-in devices</b>, choose <b>Add a device</b> and scan the new QR code, and remove the old "
                    "phone.</p><p>Each backup code works once. You can "
                    "print a fresh set at any time from the same page (<b>Create new backup codes</b>). If you have "
                    "no backup codes left, email "
                    f"{ICT} from your team's registered address and we will reset your two-factor setup, usually on "
                    "the same working day.</p>",
                ),
                (
                    "I forgot my password. How do I reset it?",
                    "<p>Choose <b>I have forgotten the password</b> on the sign-in page and enter your team's email "
                    "address. We send a link that works for 1 hour; open it and choose a new password of at least 12 "
                    "characters. You still need a code from your authenticator app to sign in.</p><p>If your account "
                    "has not been used for 55 days it becomes dormant and the reset email will not arrive. Email "
                    f"{ICT} and we will reactivate it. Signing in once a month keeps your account active.</p>",
                ),
                (
                    "I see an error message when I sign in. What should I do?",
                    "<p>The message says what went wrong and what to do next. The most common ones are:</p><ul>"
                    "<li><b>The code is not right</b>: codes change every 30 seconds. Wait for a new code and type "
                    "it straight away. If codes never work, check your phone sets its date and time automatically."
                    "</li><li><b>The email address or password is not right</b>: check for spaces and that Caps "
                    "Lock is off, or reset your password.</li><li><b>Sign-in is locked</b>: after too many wrong "
                    "tries, wait the time the page gives, then try again.</li></ul><p>If you see “Sorry, there is a "
                    "problem with the service”, try again in a "
                    f"few minutes. If it keeps happening, email {ICT} with the time you saw it and what you were "
                    "doing.</p>",
                ),
                (
                    "Why does the portal sign me out?",
                    "<p>The portal holds sensitive information about children, so it signs you out after 10 minutes "
                    "without activity. A minute before, it warns you and offers to keep you signed in.</p><p>You do "
                    "not lose work when this happens. Each section of a form is saved when you choose <b>Save and "
                    "continue</b> or <b>Save and come back later</b>, and what you are typing is saved automatically "
                    "as you go. Sign in again and you return to where you were.</p>",
                ),
            ],
        ),
        (
            "Forms and submissions",
            [
                (
                    "How do I preview a form before I submit it?",
                    "<p>Choose <b>Preview as PDF</b> on the form's task list or on the check your answers page. The "
                    "PDF opens in one click. It is marked PREVIEW and looks exactly as the SEND service will see "
                    "it. Everything you have typed is in it, even in sections you have not finished.</p><p>Any answer "
                    "that is missing or needs correcting is named in red with the reason, in the PDF and on the "
                    "screen, with a link straight to it. You cannot submit until those answers are put right.</p>",
                ),
                (
                    "How do I know my form has been submitted?",
                    "<p>After you choose <b>Accept and submit</b> you see a confirmation page with a reference "
                    "number, and we "
                    "send a receipt to your team's inbox. The form's status on your dashboard "
                    "changes to <b>Submitted</b>, and the final PDF appears under the request's documents with the "
                    "submitter's name and the time.</p><p>You get another message, and an email saying it is there, "
                    "when the SEND service accepts it or if we need more information. The request page always shows "
                    "where it is, and every version you have submitted.</p>",
                ),
                (
                    "How do I add SENCO advice after a request for assessment has been submitted?",
                    "<p>When the SEND service decides to assess, we share the SENCO advice form (Appendix B) with your "
                    "school's team account as a new request. It appears in your inbox and on your dashboard, next to "
                    "the request for assessment you submitted. Open it and complete it in the same way. You do not "
                    "need to start it yourself or choose a profile.</p>",
                ),
            ],
        ),
        (
            "Documents",
            [
                (
                    "How do I upload a document?",
                    "<p>Open the request and go to <b>Documents</b>, then choose <b>Upload a document</b>. Give the "
                    "document a name that says what it is, such as “Speech and language report, March”, choose the "
                    "file and choose <b>Upload the document</b>.</p><p>You can add documents before you submit the "
                    "form and afterwards, until the SEND service accepts your advice. Documents added after you "
                    "submit are listed as <b>Added after submission</b>, and the EHC co-ordinator is told. Once the "
                    "advice is accepted, documents can no longer be added to that request.</p><p>Documents must be "
                    "PDFs of 3 MB or less. If a file is "
                    "larger, save it again with a smaller file size or split it into parts. The portal tells you "
                    "straight away if a file cannot be accepted, and why.</p>",
                ),
                (
                    "I see “access denied” when I try to download a document. Why?",
                    "<p>Some documents on a child's record are shared with you only when the SEND service decides you "
                    "need them. A document you cannot open yet shows a <b>Request access</b> button. Choose it and "
                    "say briefly why you need the document. The child's EHC co-ordinator decides, and you get a "
                    "message as soon as the document is available.</p>",
                ),
                (
                    "Where do I add professional contacts?",
                    "<p>Open the request and go to <b>Professional involvement</b>. Choose <b>Add a professional</b> "
                    "and enter their name, role, organisation and work contact details.</p><p>The child's personal "
                    "details, such as their name, date of birth and address, are read-only in the portal. If "
                    "something is wrong, choose <b>Report a change</b> on those details, or email "
                    f"{SUPPORT}, and the EHC co-ordinator will update the record.</p>",
                ),
            ],
        ),
        (
            "Outcomes",
            [
                (
                    "Do I need to add outcomes?",
                    "<p>Only if your advice includes them, or the SEND service has asked for them. Choose <b>Add an "
                    "outcome</b>: this always creates a new outcome and never changes anyone else's. Each outcome "
                    "needs a Team and a Type, so the SEND service knows whose outcome it is and which area of need "
                    "it meets. The portal will not save an outcome without both.</p>"
                    # The Team and Type lists, as the advice forms seed and editors keep them: one list, not a copy.
                    + demo_words("outcome_terms")
                    + "<p>You can edit only the outcomes your team wrote. If someone changed an outcome while you "
                    "were editing it, the portal tells you and shows the latest version rather than overwriting "
                    "their work.</p>",
                ),
                (
                    "How do I delete an outcome, a duplicate form or a document uploaded by mistake?",
                    "<p>Until you submit the form, you can withdraw a document your team uploaded (choose "
                    "<b>Withdraw</b> beside it in <b>Documents</b>). Until the SEND service accepts your advice, you "
                    "can change or delete an outcome your team wrote (choose <b>Change</b> or <b>Delete</b> on it). "
                    f"After that, email {SUPPORT} and say what to delete and why, for example “uploaded twice”: "
                    "the child's EHC co-ordinator deletes it for you, so that nothing is removed from a child's "
                    "record by accident. Every deletion is recorded with its reason.</p>",
                ),
            ],
        ),
        (
            "Parents and carers",
            [
                (
                    "Do parents and carers have access to the portal?",
                    "<p>No. The portal is for professionals. Parents and carers share their views and their child's "
                    "views through the school or setting: the SENCO records them in the request for assessment, and "
                    "we send families a copy of everything we use in the assessment. A parent can also ask us for "
                    'an assessment directly: read <a href="@@ehc_request@@">asking for an EHC needs assessment</a>.'
                    "</p><p>In the request for "
                    "assessment, the SENCO also completes <b>Contribution and communication method</b>, to say how "
                    "the family wants to contribute and to be contacted, for example by email, by letter or by "
                    "phone. Read "
                    "<a href=\"@@parents_views@@\">how parents' and carers' views are "
                    "included</a>.</p>",
                ),
            ],
        ),
    ]


# The home page's word to parents and carers, after its introduction for professionals: they need no account, and
# the guidance written for them is one click away.
HOME_FOR_PARENTS = (
    "<p>Parents and carers do not need an account: read <a href=\"@@parents_views@@\">how parents' and carers' "
    'views are included</a>, or find out about <a href="@@ehc_request@@">asking for an EHC needs assessment</a> '
    "for your child.</p>"
)


HELP_SECTION = (
    "help",
    "Help and guidance",
    "Answers, step-by-step guides and advice for schools, settings and services using the portal.",
)

# The demo accounts the guides' captures walk through (portal_pages' demo): the password is the demo's own.
OAKFIELD = "senco@oakfield-primary.example.org"
SLT = "referrals@slt.kestrelford-health.example.org"
EPS = "eps@eps.kestrelford.example.org"
# A nursery that has not registered yet: the first guide registers it in the throwaway demo.
NEW_TEAM = "senco@littlewrens-nursery.example.org"
_REGISTER = f"""go to /portal/register/
fill Your school, setting or service with Little Wrens Nursery
fill Your team's work email address with {NEW_TEAM}
fill Account name with Little Wrens Nursery SENCO
fill Create a password with @@password@@"""
_TO_CODE = f"""go to /portal/sign-in/
fill Email address with {OAKFIELD}
fill Password with @@password@@
click Continue"""
# Oakfield's request for Poppy (to do) and its returned request for Maisie, found as a person finds them.
_POPPY = f"""sign in as {OAKFIELD}
go to /portal/
click css=tr:has-text("Poppy Larkspur") a"""
_MAISIE = f"""sign in as {OAKFIELD}
go to /portal/
click css=tr:has-text("Maisie Thornbury") a"""

# (slug, title, intro, [(heading, text html, alt text, capture, width)]). Every picture is captured from the demo
# (`make guides`); "@@password@@" stands for the demo accounts' password.
GUIDES = [
    (
        "signing-in-for-the-first-time",
        "Signing in for the first time with an authenticator app",
        "How to register your team, confirm your address and set up two-factor authentication. It takes about "
        "10 minutes.",
        [
            (
                "Register your team",
                "<p>Choose <b>Register your team</b> on the home page. Start typing your school, setting or service "
                "and choose it from the list, then give your team's shared work email address, a name for the "
                "account and a password of at least 12 characters. Choose <b>Register</b>.</p>",
                "The 'Register your team' page filled in for Little Wrens Nursery, with the team's shared email "
                "address senco@littlewrens-nursery.example.org framed in red.",
                f"{_REGISTER}\nhighlight Your team's work email address\nshow page",
                "desktop",
            ),
            (
                "Confirm your email address",
                "<p>We email a link to your team's address. Open the email and choose the link within 24 hours. The "
                "portal asks you to confirm the address: choose <b>Confirm</b>, then sign in with your email "
                "address and password.</p>",
                "The 'Confirm your email address' page for the new account, with its green Confirm button framed "
                "in red.",
                f"{_REGISTER}\nclick Register\nopen the link emailed to {NEW_TEAM}\nhighlight Confirm\nshow page",
                "desktop",
            ),
            (
                "Install an authenticator app and scan the QR code",
                "<p>On your work phone, install an authenticator app, such as Microsoft Authenticator or Google "
                "Authenticator. The first time you sign in, the portal shows a QR code. In your app, add an account "
                "and scan the code. If it will not scan, open <b>I cannot scan the QR code</b> and type the key into "
                "the app instead.</p>",
                "The 'Set up your authenticator app' page, with the QR code to scan framed in red.",
                f"open the link emailed to {NEW_TEAM}\nclick Confirm\nsign in as {NEW_TEAM}\n"
                "highlight .portal-qr-code\n"
                "show page",
                "desktop",
            ),
            (
                "Type the 6-digit code",
                "<p>Your app now shows “SEND portal” with a 6-digit code. Give the device a name you will recognise, "
                "type the code and choose <b>Continue</b>. Codes change every 30 seconds; if one runs out, use the "
                "next.</p>",
                "The lower part of the set-up page: the device named 'Reception phone' and the empty 'Code shown in "
                "the app' box, framed in red, above the Continue button.",
                f"sign in as {NEW_TEAM}\ngo to /portal/two-factor/set-up/\nfill Name this device with Reception "
                "phone\nhighlight Code shown in the app\nshow page",
                "desktop",
            ),
            (
                "Save your backup codes",
                "<p>The portal then gives you 10 backup codes. Print them or keep them somewhere safe your team can "
                "reach, such as a locked drawer. Each code signs you in once if you lose or change your phone. You "
                "can make a new set at any time under <b>Sign-in devices</b>.</p>",
                "The 'Your new backup codes' page listing 10 codes, each 8 letters and numbers, with a button to "
                "print them.",
                f"sign in as {EPS}\ngo to /portal/two-factor/backup-codes/\nclick Create 10 new backup codes\n"
                "show page",
                "desktop",
            ),
            (
                "Sign in from now on",
                "<p>Next time, sign in with your email address and password, then type the code your app shows. "
                "You then see your dashboard with the requests shared with your team.</p>",
                "The sign-in page asking for the 'Code from your authenticator app, or a backup code', with the box "
                "framed in red.",
                f"{_TO_CODE}\nhighlight Code from your authenticator app, or a backup code\nshow page",
                "desktop",
            ),
        ],
    ),
    (
        "adding-a-new-phone",
        "Adding a new phone",
        "How to move your sign-in to a new phone, or add a colleague's phone, without asking anyone. Shown on a "
        "phone's screen.",
        [
            (
                "Sign in with a backup code",
                "<p>Sign in with your email address and password. When the portal asks for a code and your old "
                "phone is gone, type one of your backup codes instead. Each backup code works once.</p>",
                "On a phone's screen: the sign-in page asking for a code from the authenticator app or a backup "
                "code, with the box framed in red.",
                f"{_TO_CODE}\nhighlight Code from your authenticator app, or a backup code\nshow page",
                "phone",
            ),
            (
                "Open Sign-in devices",
                "<p>Open the menu and choose <b>Sign-in devices</b>. The page lists the phones that can sign in to "
                "your team's account. Choose <b>Add a device</b>.</p>",
                "On a phone's screen: the 'Sign-in devices and backup codes' page listing the team's 'Demo "
                "authenticator', with the 'Add a device' button framed in red.",
                f"sign in as {SLT}\ngo to /portal/two-factor/\nhighlight Add a device\nshow page",
                "phone",
            ),
            (
                "Scan the new QR code",
                "<p>Scan the QR code with the authenticator app on the new phone. Under the QR code, the page asks "
                "first for <b>Your account's password</b>: type the password you signed in with. Then give the "
                "device a name, type the code the app shows and choose <b>Add the device</b>.</p>",
                "On a phone's screen: the 'Add a device' page, with the QR code to scan and, under it, the 'Your "
                "account's password' box framed in red.",
                f"sign in as {SLT}\ngo to /portal/two-factor/add/\nhighlight Your account's password\nshow page",
                "phone",
            ),
            (
                "Remove the old phone",
                "<p>Back on <b>Sign-in devices</b>, choose <b>Remove</b> next to the phone you no longer have, so "
                "that it can no longer sign in. If you are running out of backup codes, choose <b>Create new backup "
                "codes</b> on the same page.</p>",
                "On a phone's screen: the 'Devices' list of the 'Sign-in devices and backup codes' page, holding "
                "one device, 'Demo authenticator', with its Remove link framed in red.",
                f'sign in as {SLT}\ngo to /portal/two-factor/\nhighlight css=a:has-text("Remove")\nshow page',
                "phone",
            ),
        ],
    ),
    (
        "completing-and-submitting-a-form",
        "Completing and submitting a form",
        "How to complete the advice form the SEND service shares with you, check it and send it back.",
        [
            (
                "Open the request",
                "<p>Sign in. Your dashboard lists the requests shared with your team, with the form, the child and "
                "the date your advice is due: first those returned to you, then those to do, then those accepted. "
                "To find one request among many, type a child's name or a reference in <b>Search your requests</b>. "
                "Choose the form's name to open the request.</p>",
                "The dashboard of Oakfield Primary SENCO: the 'Search your requests' box and the 'Status' filter; "
                "under 'Returned for more information', Maisie Thornbury's "
                "educational advice; under 'To do', a request for an EHC needs assessment for Poppy Larkspur, due in "
                "40 days, with its link framed in red; under 'Accepted', an earlier form.",
                f'sign in as {OAKFIELD}\ngo to /portal/\nhighlight css=tr:has-text("Poppy Larkspur") a\n'
                "show css=.govuk-grid-column-two-thirds:has(#requests-heading)",
                "desktop",
            ),
            (
                "Work through the task list",
                "<p>The request shows the child's details, how many sections you have completed (at first, 0 of "
                "15) and a task list: each section of the form and whether it is not yet started, in progress or "
                "completed. Do the sections in any order. A section that depends on an earlier answer says so until "
                "you give it. Below the task list are the <b>Check answers</b> and <b>Preview as PDF</b> "
                "buttons.</p>",
                "The task list of the request: 15 sections, each marked 'Not yet started' except 'Second parent or "
                "carer', which says 'Cannot start yet'.",
                f"{_POPPY}\nshow .govuk-task-list",
                "desktop",
            ),
            (
                "Answer a section",
                "<p>Choose a section. Answer its questions; the details the SEND service holds about the child are "
                "shown for you to read. Choose <b>Save and continue</b> to go on to the next section.</p>",
                "The section 'About the child or young person': the end of the child's details from the record, "
                "then the questions, with the year group 'Year 3' chosen and framed in red.",
                f"{_POPPY}\nclick About the child or young person\nfill Year group with Year 3\nhighlight Year group\n"
                "show page",
                "desktop",
            ),
            (
                "Your answers are saved as you go",
                "<p>Everything you type is saved while you work: once you have typed, the page says when it saved, "
                "for example “Saved at 2:04pm”. At the end of the section, choose <b>Save and continue</b> to go on, "
                "<b>Save and come back later</b> to stop, or <b>Save and go back</b> to return to the task list. "
                "Nothing is lost if you are signed out or close the page.</p>",
                "The end of a section: the note saying at what time the answers were saved, framed in red, above "
                "the 'Save and continue' and 'Save and come back later' buttons, with 'Save and go back' on the row "
                "below.",
                f"{_POPPY}\nclick About the child or young person\nfill The name they like to be called with "
                'Poppy\nclick Year group\nhighlight css=[data-autosave-status]:text-matches("^Saved at")\nshow page',
                "desktop",
            ),
            (
                "If your form is returned to you",
                "<p>After you submit, the SEND service accepts your advice or returns the form to you. A returned "
                "form is listed first on your dashboard. Its page says <b>Returned for more information</b>, what "
                "the EHC co-ordinator needs and, where they name them, which sections to change. Your earlier "
                "answers are kept: change what they ask for, then check your answers and submit again, as in the "
                "next steps. The pictures from here follow a returned form, Maisie Thornbury's educational "
                "advice.</p>",
                "The request page of Maisie Thornbury's educational advice, with the 'Returned for more information' "
                "banner framed in red: 'The EHC co-ordinator has asked for more information', and what they need.",
                f"{_MAISIE}\nhighlight .govuk-notification-banner\nshow page",
                "desktop",
            ),
            (
                "Check your answers and preview the PDF",
                "<p>When every section is complete, choose <b>Check answers</b> on the request page. Change any "
                "answer that is not right with its <b>Change</b> link. The child's details come from the SEND "
                "service, so beside them you choose <b>Report a change</b> instead. Choose <b>Preview as PDF</b> "
                "to see the form as the SEND service will: anything missing is named in red.</p>",
                "The 'Check your answers before submitting' page of Maisie Thornbury's returned educational advice, "
                "with the 'Preview as PDF' link framed in red, and 'Report a change' beside the child's details.",
                f"{_MAISIE}\nclick Check answers\nhighlight Preview as PDF\nshow page",
                "desktop",
            ),
            (
                "Submit and keep your reference",
                "<p>At the foot of the check answers page, choose <b>Accept and submit</b>. The confirmation page "
                "shows your reference. The submitted PDF is filed with the request's documents and a receipt "
                "arrives in your messages.</p><p>When you submit a returned form again, it gets a new reference: "
                "the page says “This is a new reference” and names the one it replaces. Use the new reference "
                "from now on.</p>",
                "The green 'Form submitted' panel with the new reference of Maisie Thornbury's educational advice, "
                "the line 'This is a new reference' naming the reference it replaces, framed in red, and what "
                "happens next.",
                f"{_MAISIE}\nclick Check answers\nclick Accept and submit\nhighlight #advice-replaces\nshow page",
                "desktop",
            ),
        ],
    ),
    (
        "uploading-a-document",
        "Uploading a document",
        "How to add a report or plan to a child's record, and who can see it.",
        [
            (
                "Open Documents",
                "<p>Open the request and choose <b>Documents</b> under <b>Around the form</b>. The page lists the "
                "documents on the child's record that you may see.</p>",
                "The request page's 'Around the form' list, with the Documents link framed in red.",
                f"{_POPPY}\nhighlight Documents\nshow page",
                "desktop",
            ),
            (
                "Choose the file",
                "<p>Under <b>Upload a document</b>, give the document a title and a type, choose the PDF file (3 MB "
                "at most) and choose <b>Upload the document</b>. We check that the file is a real PDF.</p>",
                "The 'Upload a document' form with the title 'Speech and language therapy report, spring term' "
                "typed in and the file chooser framed in red.",
                f"{_POPPY}\nclick Documents\nfill Title with Speech and language therapy report, spring term\n"
                "highlight .govuk-file-upload-button\nshow page",
                "desktop",
            ),
            (
                "See it on the record",
                "<p>The document appears in the list with your team's name and the date. The EHC co-ordinator "
                "decides who else may download it. You can withdraw a document your team added.</p>",
                "The 'Documents on this record' table: 'Demo: support plan, autumn term', a support plan added by "
                "your team, with Download and Withdraw links.",
                f"{_POPPY}\nclick Documents\nshow css=table",
                "desktop",
            ),
        ],
    ),
    (
        "adding-an-outcome",
        "Adding an outcome",
        "How to add an outcome for a child: what they will achieve, the support that gets them there and by when.",
        [
            (
                "Open Outcomes",
                "<p>Open the request and choose <b>Outcomes</b> under <b>Around the form</b>. It lists the outcomes "
                "written for the child. Choose <b>Add an outcome</b>.</p>",
                "The Outcomes page of Poppy Larkspur's request, with the 'Add an outcome' button framed in red.",
                f"{_POPPY}\nclick Outcomes for this child's record\nhighlight Add an outcome\nshow page",
                "desktop",
            ),
            (
                "Write the outcome",
                "<p>Choose its Type (the area of need) and its Team: both are required. Write what the child will "
                "achieve, the provision that gets them there and the timescale, then choose <b>Add the outcome</b>. "
                "Your team can change it later; an edit made to an old copy is refused rather than overwriting a "
                "colleague's work.</p>",
                "The 'Add an outcome' form with the Type 'Cognition and Learning' and the Team 'Schools' "
                "chosen and the outcome typed in.",
                f"{_POPPY}\nclick Outcomes for this child's record\nclick Add an outcome\n"
                "fill Type with Cognition and Learning\nfill Team with Schools\nfill Outcome with Poppy will read a "
                "short book for her age with help on fewer than five words.\nhighlight Outcome\nshow page",
                "desktop",
            ),
        ],
    ),
]

HELP_PAGES = [
    (
        "how-to-access-the-portal",
        "How to access the portal",
        "Who can use the portal, how to register your team and what you need to sign in.",
        [
            ("heading", "Who can register"),
            (
                "text",
                "<p>Schools, settings and services whose advice the SEND service asks for during an EHC needs "
                "assessment. Register one account for your team, using your shared work email address.</p>",
            ),
            ("call_to_action", {"text": "Register your team", "page": None, "url": "/portal/register/", "start": True}),
            ("heading", "What you need"),
            (
                "text",
                "<ul><li>access to your team's shared mailbox</li><li>a phone with an authenticator app</li>"
                "<li>a password of at least 12 characters</li></ul>",
            ),
            (
                "inset_text",
                "<p>Every sign-in needs your password and a 6-digit code from your authenticator app. This keeps "
                "children's information safe even if a password is guessed.</p>",
            ),
            ("warning_text", "Never share your sign-in details or backup codes outside your team."),
            (
                "details",
                {
                    "summary": "My organisation has no shared mailbox",
                    "text": f"<p>Ask your IT team to create one, or email {SUPPORT} and we will agree another "
                    "address with you. We do not register personal email addresses.</p>",
                },
            ),
            ("guide_link", None),
        ],
    ),
    (
        "a-guide-for-sencos",
        "A guide for SENCOs",
        "How a school's SENCO requests an assessment, gives advice and keeps track of both in the portal.",
        [
            ("heading", "Requesting an assessment"),
            (
                "text",
                "<p>You cannot start a request for assessment yourself: there is no button for it in the portal. "
                "First contact the SEND service and say you want to request an assessment for a child:</p>"
                f"{SEND_CONTACT}"
                "<p>We then share the EHC request for statutory assessment (ERSA) with your school's team account. "
                "You get a message, and the request appears on your dashboard under <b>To do</b>. Complete it in "
                "the portal: it is split into sections, and your work is saved as you go, so you can complete it "
                "over several days.</p>",
            ),
            ("heading", "Timescales"),
            (
                "text",
                "<p>We decide whether to assess within 6 weeks of receiving a request. If we assess, we ask for "
                "your advice (Appendix B), which is due within 6 weeks. We decide whether to issue a plan within "
                "16 weeks of the request, and issue the final plan within 20 weeks.</p><p>The law allows these "
                "time limits to be longer in a few cases: for example, when we ask a school for advice just "
                "before or during a holiday of 4 weeks or more, or when the family is away for 4 weeks or "
                "more.</p>",
            ),
            (
                "table",
                {
                    "table_caption": "When each step of an EHC needs assessment is due",
                    "table_header_choice": "both",
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "data": [
                        ["Step", "Who does it", "Due"],
                        ["Decide whether to assess", "SEND service", "6 weeks after the request"],
                        ["Give your advice (Appendix B)", "You, the SENCO", "6 weeks after we ask"],
                        ["Decide whether to issue a plan", "SEND service", "16 weeks after the request"],
                        ["Issue the final plan", "SEND service", "20 weeks after the request"],
                    ],
                },
            ),
            (
                "inset_text",
                "<p>Include the views of the child and their family in the request: read "
                "<a href=\"@@parents_views@@\">how parents' and carers' views are included</a>.</p>",
            ),
            (
                "image",
                (
                    "completing-and-submitting-a-form",
                    1,
                    "The dashboard of Oakfield Primary SENCO, listing a request for an EHC needs assessment for Poppy "
                    "Larkspur under 'To do', due in 40 days, between a returned form and an accepted one.",
                ),
            ),
            (
                "details",
                {
                    "summary": "Who in my school can use the account?",
                    "text": "<p>Anyone who can read the school's SENCO mailbox. Decide within your school who "
                    "writes each piece of advice; it is always sent from the school's account.</p>",
                },
            ),
            ("printable_faq_link", None),
        ],
    ),
    (
        "how-parents-and-carers-views-are-included",
        "How parents' and carers' views are included",
        "How your views, and your child's views, reach the SEND service when your child is assessed.",
        [
            ("heading", "Through your child's school or nursery"),
            (
                "text",
                "<p>This portal is for professionals. Parents and carers do not need to use it.</p><p>A school or "
                "nursery can ask us for an education, health and care (EHC) needs assessment for your child. If it "
                "does, the special educational needs co-ordinator (SENCO) talks with you first. They write down "
                "your views, and your child's views, in the request.</p>",
            ),
            (
                "inset_text",
                "<p>The SENCO should only write what you have agreed to share. You can ask to read it before they "
                "send it to us.</p>",
            ),
            ("heading", "How you want to hear from us"),
            (
                "text",
                "<p>The request has a section called <b>Contribution and communication method</b>. It says how you "
                "want to give your views and hear from us: by email, by letter or by phone.</p>",
            ),
            ("heading", "While we decide whether to assess"),
            (
                "text",
                "<p>When we get a request, we tell you, and we ask for your views while we decide whether to assess "
                "your child. We tell you our decision within 6 weeks of the request.</p><p>If we assess, we ask for "
                "your views again, and we send you a copy of the advice we use.</p>",
            ),
            ("heading", "You can ask for an assessment yourself"),
            (
                "text",
                "<p>You do not have to wait for the school. A parent or carer can ask us for an assessment. Once "
                "a young person is over compulsory school age (from the end of the school year in which they turn "
                "16), the right to ask is theirs, up to the age of 25. Read "
                '<a href="@@ehc_request@@">asking for an EHC needs assessment</a>.</p>',
            ),
            ("heading", "Free help and advice"),
            (
                "text",
                f"<p>{SENDIASS_NAME} gives free, impartial advice. It can help you and your child give your views, "
                f"and come to meetings with you.</p>{sendiass_contact()}",
            ),
            ("heading", "Contact the SEND service"),
            ("text", f"<p>You can contact our SEND service at any time:</p>{SEND_CONTACT}"),
        ],
    ),
    (
        "asking-for-an-ehc-needs-assessment",
        "Asking for an EHC needs assessment",
        "What an education, health and care (EHC) needs assessment is, how to ask us for one for your child, and "
        "what happens next.",
        [
            ("heading", "What an EHC needs assessment is"),
            (
                "text",
                "<p>An education, health and care (EHC) needs assessment is when the council looks closely at what "
                "help your child needs. We ask you, your child and the people who work with your child, such as "
                "teachers, doctors and therapists.</p><p>After the assessment, we decide if your child needs an "
                "education, health and care plan (EHCP). An EHCP is a legal document. It says what help your child "
                "must get.</p><p>Many children with special educational needs and disabilities (SEND), including many "
                "autistic children, get the help they need from their school without a plan. A diagnosis, such as "
                "autism, does not on its own decide whether a child needs one. An assessment is for a child who may "
                "need more help than the school can usually give.</p>",
            ),
            ("heading", "You can ask us yourself"),
            (
                "text",
                "<p>You do not need the school to ask for you. A parent or carer can ask the council for an "
                "assessment. This is in the law: section 36 of the Children and Families Act 2014.</p><p>Once your "
                "child is over compulsory school age (from the end of the school year in which they turn 16), the "
                "right to ask is theirs, up to the age of 25. They can ask for their own assessment, and you can "
                "help them.</p><p>A school or nursery can also ask. The "
                "person who does this is the special educational needs co-ordinator (SENCO). It helps to tell the "
                "SENCO you are asking, but you do not need their agreement.</p><p>We must assess your child if they "
                "may have special educational needs and may need a plan to get the right help.</p>",
            ),
            ("heading", "How to ask"),
            (
                "text",
                "<p>Email or write to our SEND service. Your email or letter is your request. You do not need a "
                f"special form.</p>{SEND_CONTACT}<p>Say:</p><ul>"
                "<li>that you are asking for an EHC needs assessment</li>"
                "<li>your child's name, date of birth and address</li>"
                "<li>the name of their school or nursery, if they have one</li>"
                "<li>what your child finds hard, for example talking, learning, making friends or staying calm</li>"
                "<li>what help they get now, and why it is not enough</li>"
                "<li>how you would like us to contact you</li></ul>"
                "<p>If you have reports from a doctor, a therapist or the school, send copies. Keep a copy of your "
                "request and the date you sent it. The time limits start on the day we get it.</p>",
            ),
            (
                "inset_text",
                "<p>If writing is hard for you, phone us and we will help you make your request. SENDIASS can help "
                "too: see below.</p>",
            ),
            ("heading", "What happens next"),
            (
                "text",
                "<p>We must tell you within 6 weeks of getting your request whether we will assess your child. "
                "While we decide, we ask for your views, and we may ask your child's school.</p><p>If we assess, we "
                "ask for advice from you, your child and the professionals who know your child, such as the school, "
                "an educational psychologist and health services. They have 6 weeks to give it.</p><p>We then tell "
                "you whether we will write a plan. We must do this within 16 weeks of your request. If we write a "
                "plan, we send you a draft first. You have 15 days to comment on it and to tell us which school or "
                "college you would like named in it. The final plan must be ready within 20 weeks of your request.</p>",
            ),
            (
                "table",
                {
                    "table_caption": "The time limits from the day we get your request",
                    "table_header_choice": "both",
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "data": [
                        ["Step", "Time limit"],
                        ["We tell you whether we will assess", "6 weeks"],
                        ["We tell you whether we will write a plan", "16 weeks"],
                        ["The final plan is ready", "20 weeks"],
                    ],
                },
            ),
            (
                "details",
                {
                    "summary": "When the time limits can be longer",
                    "text": "<p>The law allows longer in a few cases. For example:</p><ul>"
                    "<li>we ask the school for advice just before or during a holiday of 4 weeks or more</li>"
                    "<li>you or your child are away from the area for 4 weeks or more</li>"
                    "<li>something serious happens in your family, such as an illness</li></ul>"
                    "<p>If this happens, we tell you.</p>",
                },
            ),
            ("heading", "If we say no"),
            (
                "text",
                "<p>We write to tell you why. You can ask to meet us, to talk about our decision or to show us new "
                "information.</p><p>You can appeal to the First-tier Tribunal (Special Educational Needs and "
                "Disability), often called the SEND Tribunal. It is independent of the council.</p><p>Before you "
                "appeal, you must contact a mediation adviser. Mediation is a meeting where someone independent "
                "helps you and us try to agree. You do not have to take part in mediation, but you need a "
                "certificate from the adviser to appeal. Our decision letter tells you how to contact them.</p><p>Read "
                '<a href="@@disagree@@">if you disagree with a decision</a> for every way to settle a '
                "disagreement, including how to complain.</p>",
            ),
            (
                "warning_text",
                "You must appeal to the SEND Tribunal within 2 months of the date on our decision letter, or within 1 "
                "month of the date on the mediation certificate, whichever is later. Check the dates in your letter, "
                "and ask SENDIASS if you are not sure.",
            ),
            ("heading", "Free help and advice"),
            (
                "text",
                f"<p>{SENDIASS_NAME} gives free advice to "
                "parents, carers, children and young people. It is impartial: it works separately from our SEND "
                "service. It can help you write your request, come to meetings with you, and explain mediation and "
                f"appeals.</p>{sendiass_contact()}"
                "<p>Our Local Offer lists the services for children and young people with SEND in Kestrelford, "
                "such as support groups for families of autistic children, short breaks and help in schools: "
                f'<a href="{LOCAL_OFFER_URL}">Kestrelford Local Offer</a>.</p>',
            ),
        ],
    ),
    (
        "if-you-disagree-with-a-decision",
        "If you disagree with a decision",
        "What you can do if you disagree with a decision we make about your child's special educational needs, or "
        "want to complain about our SEND service.",
        [
            (
                "text",
                "<p>You may disagree with a decision we make, for example if we say no to an education, health and "
                "care (EHC) needs assessment, decide not to write a plan, or write a plan you think is wrong. You "
                "may also be unhappy with how our SEND service has treated you. You can:</p><ul>"
                "<li>talk to the SEND service</li><li>ask for mediation</li>"
                "<li>appeal to the SEND Tribunal</li><li>make a complaint</li></ul>",
            ),
            ("heading", "Talk to the SEND service"),
            (
                "text",
                "<p>Contact your caseworker, or the SEND service, first. Most disagreements are settled by talking. "
                "We can explain our decision, meet you, and look again at it if you have new information, such as "
                f"a report from a doctor or a therapist.</p>{SEND_CONTACT}",
            ),
            ("heading", "Mediation"),
            (
                "text",
                "<p>Mediation is a meeting where someone independent of the council helps you and us try to agree. "
                "It is free, and you do not have to take part in it.</p><p>If you want to appeal to the SEND "
                "Tribunal, you must first contact a mediation adviser, even if you decide not to go to mediation. "
                "The adviser gives you a certificate that you need to appeal. Our decision letter tells you how to "
                "contact them.</p>",
            ),
            ("heading", "Appeal to the SEND Tribunal"),
            (
                "text",
                "<p>The First-tier Tribunal (Special Educational Needs and Disability), often called the SEND "
                "Tribunal, is independent of the council. You can appeal to it if we:</p><ul>"
                "<li>decide not to assess your child</li><li>decide not to write an EHC plan</li>"
                "<li>write a plan and you disagree with what it says or with the school or college named in it</li>"
                "<li>decide to stop your child's plan</li></ul>"
                "<p>Find out how to appeal on GOV.UK: <a "
                'href="https://www.gov.uk/courts-tribunals/first-tier-tribunal-special-educational-needs-and-disability">'
                "First-tier Tribunal (Special Educational Needs and Disability)</a>.</p>",
            ),
            (
                "warning_text",
                "You must appeal within 2 months of the date on our decision letter, or within 1 month of the date on "
                "the mediation certificate, whichever is later.",
            ),
            ("heading", "Make a complaint"),
            (
                "text",
                "<p>You can complain if you are unhappy with how we have done something, for example if we missed "
                "a time limit, did not reply to you or were unhelpful. A complaint is not the way to change a "
                "decision about your child's needs: for that, use mediation or an appeal.</p><p>To complain, email "
                "or write to the SEND service and say that you are making a complaint. Tell us what went wrong and "
                "what you would like us to do. We will reply within 20 working days.</p><p>If you are still "
                "unhappy, you can ask for your complaint to be looked at again by a senior manager. After that, "
                "you can ask the Local Government and Social Care Ombudsman to look at it.</p>",
            ),
            ("heading", "Free help and advice"),
            (
                "text",
                f"<p>{SENDIASS_NAME} gives free, impartial "
                "advice. It can explain your choices, help you write to us, and come to meetings with you.</p>"
                f"{sendiass_contact()}",
            ),
        ],
    ),
]

# The summaries search shows, and whose words a search spelt differently is corrected to (cms.search_spelling).
SEARCH_DESCRIPTIONS = {
    "asking-for-an-ehc-needs-assessment": "What an EHC needs assessment is, for children with special educational "
    "needs and disabilities such as autism, how to ask us for one, and what happens next.",
    "if-you-disagree-with-a-decision": "Talking to the SEND service, mediation, an appeal to the SEND Tribunal, and "
    "how to make a complaint.",
}
# Promoted search results: the searches that show a page first, by its slug (Settings → Promoted search results).
PROMOTED_SEARCHES = {"asking-for-an-ehc-needs-assessment": ["ehcp", "ehc plan", "ehc needs assessment"]}
# Owners, review dates, topics and a change note, so the demo shows the editor's desk at work.
CONTENT_EDITOR_EMAIL = "content@kestrelford.example.org"
CONTENT_TEAM = "Content editor"
# Topics (tags) by page slug: pages sharing one list each other under "Related content".
TOPICS = {
    "faqs": ["signing in", "forms", "documents"],
    "signing-in-for-the-first-time": ["signing in"],
    "completing-and-submitting-a-form": ["forms"],
    "how-to-access-the-portal": ["signing in", "registering"],
    "a-guide-for-sencos": ["forms", "documents"],
    "how-parents-and-carers-views-are-included": ["parents"],
    "asking-for-an-ehc-needs-assessment": ["parents"],
    "if-you-disagree-with-a-decision": ["parents"],
}
# Who each page is for, by slug (cms.choices.Audience; the rest are for everyone): related content keeps to them.
AUDIENCES = {
    "how-parents-and-carers-views-are-included": "parents",
    "asking-for-an-ehc-needs-assessment": "parents",
    "if-you-disagree-with-a-decision": "parents",
    **dict.fromkeys(
        [
            "faqs",
            "signing-in-for-the-first-time",
            "adding-a-new-phone",
            "completing-and-submitting-a-form",
            "uploading-a-document",
            "adding-an-outcome",
            "how-to-access-the-portal",
            "a-guide-for-sencos",
        ],
        "professionals",
    ),
}
# A page whose review date has passed: "Due for review" lists it and its editors see a notice.
OVERDUE_SLUG = "how-to-access-the-portal"
OVERDUE_DAYS = 10
FAQ_CHANGE_NOTE = "Added a question about adding SENCO advice after a request for assessment."
