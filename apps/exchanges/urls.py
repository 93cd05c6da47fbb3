from django.urls import path

from apps.exchanges import views

app_name = "exchanges"

urlpatterns = [
    path("r/<int:residence_id>/exchanges/", views.exchange_list, name="list"),
    path("r/<int:residence_id>/exchanges/new/", views.new, name="new"),
    path("exchanges/<int:exchange_id>/", views.detail, name="detail"),
    path("exchanges/<int:exchange_id>/edit/", views.edit, name="edit"),
    path("exchanges/<int:exchange_id>/respond/", views.respond, name="respond"),
    path("exchanges/<int:exchange_id>/accept/", views.accept, name="accept"),
    path("exchanges/<int:exchange_id>/complete/", views.complete, name="complete"),
    path("exchanges/<int:exchange_id>/cancel/", views.cancel, name="cancel"),
    path("exchanges/<int:exchange_id>/reopen/", views.reopen, name="reopen"),
    path("exchanges/<int:exchange_id>/renew/", views.renew, name="renew"),
    path("exchanges/<int:exchange_id>/thanks/", views.thanks, name="thanks"),
]
