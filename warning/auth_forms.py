"""The admin login form with Chinese labels.

Wagtail's LoginForm leaves the password field without a label, so Django
derives "Password" from the field name, untranslated.
"""

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
