from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidencesConfig(AppConfig):
    name = "apps.residences"
    verbose_name = _("Residences")

    def ready(self) -> None:
        from apps.realtime import registry
        from apps.residences import access

        registry.register_group_provider(access.socket_groups_for)
