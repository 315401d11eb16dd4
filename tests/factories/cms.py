import factory
import wagtail_factories

from cms.models import HelpPage, HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Professional portal for SEND advice"
    slug = "home"
    intro = "<p>Send your advice to the SEND service.</p>"

    class Meta:
        model = HomePage


class HelpPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Help page {n}")
    intro = "Help for professionals."

    class Meta:
        model = HelpPage
