from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeniorsConfig(AppConfig):
    name = "apps.seniors"
    label = "seniors"
    verbose_name = _("Senior support")

    def ready(self) -> None:
        from apps.seniors import moderation, panels

        panels.register()
        moderation.register()
