"""Small helpers for driving the Wagtail admin and the public site with Playwright's sync API.

They wait for what a user would wait for (the next page, Wagtail's autosave,
Draftail having stored what was typed) so the tests never sleep blindly, and
they read what the user reads (the flash messages, a table row by its headers).
"""

import re

PASSWORD = "pass12345!"

# Wagtail 8 autosaves editor forms in the background; a submit racing an
# autosave posts a stale form, so the editors wait for the indicator to settle.
_AUTOSAVE_IDLE = """() => {
    const el = document.querySelector('#w-autosave-indicator');
    return !el || el.dataset.wAutosaveStateValue !== 'saving';
}"""


def login(page, username, password=PASSWORD):
    """Sign in through Wagtail's login form and land on the admin home."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def click_and_wait(page, selector):
    """Click something that submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def type_rich_text(page, text, field="body"):
    """Type into the Draftail editor of `field` and wait until its hidden input holds the text."""
    wrapper = page.locator(f"[data-contentpath={field}] .Draftail-Editor [contenteditable=true]")
    wrapper.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    page.wait_for_function(
        "([id, text]) => (document.getElementById(id) || {}).value?.includes(text)", arg=[f"id_{field}", text]
    )


def settle_editor(page):
    """Let Wagtail's autosave finish before an editor form is submitted."""
    page.wait_for_timeout(700)  # the autosave interval is 500 ms after the last change
    page.wait_for_function(_AUTOSAVE_IDLE)


def editor_action(page, name):
    """Choose an action from the editor's footer menu (发布, 提交 …) and wait for the result page."""
    settle_editor(page)
    button = page.locator(f"footer button[name={name}]")
    if not button.is_visible():
        page.click("footer .w-dropdown__toggle.button")
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()


def flash_messages(page):
    """The text of Wagtail's flash messages at the top of an admin page."""
    return " ".join(page.locator(".messages li").all_inner_texts())


def table_row(page, table, row_selector):
    """One row of a table as {header text: cell text}, headers read from the table's thead."""
    headers = [
        re.sub(r" ?\(条数\)$", "", " ".join(h.split())) for h in page.locator(f"{table} thead th").all_inner_texts()
    ]
    cells = [" ".join(c.split()) for c in page.locator(f"{table} {row_selector} td").all_inner_texts()]
    assert len(headers) == len(cells), f"表格 {table} 的表头与 {row_selector} 的单元格数不一致：{headers} / {cells}"
    return dict(zip(headers, cells, strict=True))


def tile_values(page):
    """The statistics tiles of the provincial dashboard as {data-tile key: int}."""
    values = {}
    for tile in page.locator("[data-tile]").all():
        values[tile.get_attribute("data-tile")] = int(tile.inner_text().strip())
    return values
