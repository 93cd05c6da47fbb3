from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "apps.community"
    label = "community"
    verbose_name = _("Residence life")

    def ready(self) -> None:
        from apps.community import moderation, panels

        moderation.register()
        panels.register()
