import factory
import wagtail_factories
from wagtail.rich_text import RichText

from faq.models import FAQPage, VisualGuidePage
from tests.factories.cms import HelpPageFactory, published


def question(text, answer_html="<p>An answer.</p>", anchor=""):
    return ("question", {"question": text, "answer": RichText(answer_html), "anchor": anchor})


def step(heading, image, text_html="<p>Do this.</p>", alt_text="A screenshot", capture="", width="desktop"):
    value = {"heading": heading, "text": RichText(text_html), "image": image, "alt_text": alt_text}
    return ("step", {**value, "capture": capture, "capture_width": width})


class FAQPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Questions {n}")
    intro = "Answers for professionals."

    class Meta:
        model = FAQPage


class VisualGuidePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Guide {n}")
    intro = "How to do it, step by step."

    class Meta:
        model = VisualGuidePage


def published_faqs(home_page, questions, **fields):
    """Guidance as the demo lays it out, published: a "Help and guidance" section below the home page holding its
    "Frequently asked questions" page with ``questions``. Returns the section and the FAQ page."""
    section = published(HelpPageFactory(parent=home_page, title="Help and guidance", slug="help"))
    faqs = FAQPageFactory(
        parent=section, title="Frequently asked questions", slug="faqs", questions=questions, **fields
    )
    return section, published(faqs)
