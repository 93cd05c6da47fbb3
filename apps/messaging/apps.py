from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "apps.messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from apps.messaging import moderation
        from apps.messaging.actions import signal_typing
        from apps.realtime import registry

        registry.register_frame_handler("typing", signal_typing)
        moderation.register()
