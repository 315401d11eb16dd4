import factory
import wagtail_factories
from wagtail.rich_text import RichText

from faq.models import FAQPage, VisualGuidePage


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
