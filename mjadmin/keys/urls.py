from django.urls import path

from mjadmin.keys import views

app_name = "keys"

urlpatterns = [
    path("settings/", views.api_settings, name="settings"),
]
