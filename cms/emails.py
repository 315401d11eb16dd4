"""How every plain-text email of the portal is rendered: its template without HTML autoescaping.

Django's templates escape for HTML, so a text email rendered like a page read "Children&#x27;s" for "Children's" and
"&lt;b&gt;" for "<b>". A text email is not HTML: ``email_text_render`` renders it as written, whatever its template,
so a new .txt email gets the rule by being rendered here (tests/cms/test_email_text.py fails when code renders a
.txt template with ``render_to_string``). An HTML alternative, if one is ever sent, is rendered as a page: escaped.
"""

from django.template import Context
from django.template.loader import get_template


def email_text_render(template_name: str, context: dict) -> str:
    """The text of ``template_name`` with ``context``, as a plain-text email: nothing escaped for HTML."""
    return get_template(template_name).template.render(Context(context, autoescape=False))
