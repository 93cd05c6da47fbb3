from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "apps.polls"
    label = "polls"
    verbose_name = _("Polls")

    def ready(self) -> None:
        from apps.polls import kind

        kind.register()
