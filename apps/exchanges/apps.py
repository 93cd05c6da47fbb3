from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "apps.exchanges"
    label = "exchanges"
    verbose_name = _("Service exchanges")

    def ready(self) -> None:
        from apps.exchanges import moderation, panels

        panels.register()
        moderation.register()
