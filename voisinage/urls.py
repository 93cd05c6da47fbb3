from django.contrib import admin
from django.urls import include, path

from apps.residences import views as residence_views
from voisinage.api import api
from voisinage.health import healthz

urlpatterns = [
    path("", residence_views.home, name="home"),
    path("", include("apps.residences.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.notifications.urls")),
    path("", include("apps.moderation.urls")),
    path("", include("apps.messaging.urls")),
    path("", include("apps.exchanges.urls")),
    path("", include("apps.seniors.urls")),
    path("", include("apps.community.urls")),
    path("", include("apps.events.urls")),
    path("", include("apps.polls.urls")),
    path("", include("apps.rooms.urls")),
    path("", include("apps.insights.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
