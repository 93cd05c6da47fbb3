from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "apps.rooms"
    label = "rooms"
    verbose_name = _("Common rooms")

    def ready(self) -> None:
        from apps.rooms import panels

        panels.register()
