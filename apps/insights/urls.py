from django.urls import path

from apps.insights import views

app_name = "insights"

urlpatterns = [
    path("indicators/", views.index, name="index"),
    path("indicators/landlords/<int:landlord_id>/", views.landlord_page, name="landlord"),
    path("indicators/landlords/<int:landlord_id>/csv/", views.landlord_csv, name="landlord_csv"),
    path("r/<int:residence_id>/indicators/", views.residence_page, name="residence"),
    path("r/<int:residence_id>/indicators/csv/", views.residence_csv, name="residence_csv"),
    path("r/<int:residence_id>/indicators/report/", views.residence_report, name="report"),
    path("r/<int:residence_id>/indicators/dwellings/", views.set_dwellings, name="dwellings"),
]
