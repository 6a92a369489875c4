"""A student's whole journey through the website, in Vietnamese and in English, in a real
headless Chromium: sign up, top up through the sandbox gateway, solve a quadratic and a
derivative, read the typeset steps, check the history and that the balance fell by exactly the
prices, log out. Bad input shows a field error and charges nothing; a forged form post without
the form token is refused."""
import json
import re
import time
import uuid

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTIFACTS, SANDBOX, SITE, make_driver, screenshot

PATHS = {
    "vi": {"home": "/", "register": "/dang-ky", "login": "/dang-nhap", "account": "/tai-khoan", "top_up": "/nap-tien",
           "wallet": "/vi-tien", "history": "/lich-su", "pricing": "/bang-gia", "guides": "/huong-dan", "faq": "/hoi-dap",
           "problem": "/giai/{}", "guide": "/huong-dan/{}"},
    "en": {"home": "/en", "register": "/en/register", "login": "/en/login", "account": "/en/account", "top_up": "/en/top-up",
           "wallet": "/en/wallet", "history": "/en/history", "pricing": "/en/pricing", "guides": "/en/guides", "faq": "/en/faq",
           "problem": "/en/solve/{}", "guide": "/en/guides/{}"},
}
TEXT = {
    "vi": {"solved": "Đã giải", "deposit_done": "Nạp tiền thành công", "login": "Đăng nhập",
           "decimal": "0,381966011250105", "forbidden": "Biểu mẫu đã hết hạn", "double": "nghiệm kép"},
    "en": {"solved": "Solved", "deposit_done": "Top-up complete", "login": "Log in",
           "decimal": "0.381966011250105", "forbidden": "This form has expired", "double": "double root"},
}
RESULTS = ARTIFACTS / "browser-results.json"


def dong(text):
    """'2.000 ₫' / '2,000 ₫' / '−500 ₫' (whole dong) → int."""
    value = int(re.sub(r"[^0-9]", "", text))
    return -value if text.strip().startswith(("−", "-")) else value


def wait(driver, seconds=60):
    # Pages that update themselves reload: an element found a moment ago may be gone.
    return WebDriverWait(driver, seconds, poll_frequency=0.2,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))


def go(driver, path):
    driver.get(SITE + path)
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def body_text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def replaced(element):
    """A wait condition: `element`'s document has been replaced. Chromium reports that as a stale
    element, or now and then as an "unknown error: ... Node with given id does not belong to the
    document" (which `EC.staleness_of` does not catch: a fresh-clone CI run failed on it)."""
    def predicate(_):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return predicate


def click_and_load(driver, element):
    """Clicks something that navigates (a link, a form's submit) and waits for the new page: the
    old document's body going stale, then the new one complete. Reading right after the click
    could still find the old page's elements, or lose them mid-read (a stale element)."""
    old_body = driver.find_element(By.TAG_NAME, "body")
    element.click()
    wait(driver).until(replaced(old_body))
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def layout_shift(driver):
    """The page's cumulative layout shift so far (KaTeX rendering must not move things)."""
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        let total = 0;
        try {
          new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
            .observe({type: 'layout-shift', buffered: true});
        } catch (e) { done(-1); return; }
        setTimeout(() => done(total), 300);
    """)


def available_balance(driver, lang):
    go(driver, PATHS[lang]["wallet"])
    return dong(driver.find_element(By.ID, "available").text)


def price(driver, lang, code):
    go(driver, PATHS[lang]["pricing"])
    return dong(driver.find_element(By.CSS_SELECTOR, f'td[data-code="{code}"]').text)


def solve(driver, lang, code, fields, name):
    go(driver, PATHS[lang]["problem"].format(code))
    for field, value in fields.items():
        element = driver.find_element(By.ID, f"f-{field}")
        element.clear()
        element.send_keys(value)
    # The live preview typesets what will be solved before anything is paid.
    wait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#preview-math .katex"))
    screenshot(driver, f"{lang}-problem-{name}")
    driver.find_element(By.ID, "solve-button").click()
    wait(driver).until(EC.url_contains("/loi-giai/" if lang == "vi" else "/solution/"))
    # The page updates itself when the worker is done.
    wait(driver, 90).until(lambda d: d.find_element(By.ID, "status").text == TEXT[lang]["solved"])
    wait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#answer .katex"))
    return driver.current_url


def forged_post(driver, path, fields):
    """A form post that carries the session cookie but not the form token."""
    return driver.execute_async_script("""
        const [path, fields, done] = arguments;
        fetch(path, {method: 'POST', credentials: 'include', redirect: 'manual',
                     headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                     body: new URLSearchParams(fields).toString()})
          .then(r => r.text().then(t => done({status: r.status, body: t})))
          .catch(e => done({status: -1, body: String(e)}));
    """, path, fields)


def record(lang, key, value):
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data.setdefault(lang, {})[key] = value
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_student_journey(driver, lang):
    paths, text = PATHS[lang], TEXT[lang]
    go(driver, paths["home"])
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    screenshot(driver, f"{lang}-home")

    # Sign up.
    email = f"student-{lang}-{uuid.uuid4().hex[:8]}@example.vn"
    go(driver, paths["register"])
    driver.find_element(By.ID, "f-email").send_keys(email)
    driver.find_element(By.ID, "f-full_name").send_keys("Nguyễn Thị Học" if lang == "vi" else "Lan Student")
    driver.find_element(By.ID, "f-password").send_keys("hoc-toan-2026")
    screenshot(driver, f"{lang}-register")
    driver.find_element(By.CSS_SELECTOR, "#register-form button[type=submit]").click()
    wait(driver).until(EC.url_to_be(SITE + paths["top_up"]))

    # Top up 50,000 dong through the sandbox VNPay and come back to the deposit's page.
    screenshot(driver, f"{lang}-top-up")
    driver.find_element(By.ID, "m-vnpay").click()
    amount = driver.find_element(By.ID, "f-amount")
    amount.clear()
    amount.send_keys("50000")
    driver.find_element(By.ID, "topup-button").click()
    wait(driver).until(EC.url_contains(SANDBOX))
    driver.find_element(By.XPATH, "//form[contains(@action, 'action=pay')]/button").click()
    wait(driver).until(EC.url_contains("/nap-tien/" if lang == "vi" else "/top-up/"))
    wait(driver, 60).until(lambda d: text["deposit_done"] in body_text(d))
    screenshot(driver, f"{lang}-deposit")

    start = available_balance(driver, lang)
    assert start > 0
    quadratic_price = price(driver, lang, "quadratic_equation")
    derivative_price = price(driver, lang, "derivative")
    assert quadratic_price == 2000 and derivative_price == 2000
    screenshot(driver, f"{lang}-pricing")

    # A quadratic: exact roots, decimals in the language's notation, typeset steps.
    url = solve(driver, lang, "quadratic_equation", {"equation": "x^2 - 3x + 1 = 0"}, "quadratic")
    page = body_text(driver)
    assert len(driver.find_elements(By.CSS_SELECTOR, ".katex")) >= 4
    assert "\\frac" not in page and "\\sqrt" not in page
    assert text["decimal"] in page
    assert "Δ = 5" in page
    assert driver.find_elements(By.CSS_SELECTOR, ".steps li .katex")
    record(lang, "cls_quadratic_solution", layout_shift(driver))
    screenshot(driver, f"{lang}-solution-quadratic")

    # A double root says so.
    solve(driver, lang, "quadratic_equation", {"equation": "x^2 - 2x + 1 = 0"}, "double-root")
    assert text["double"] in body_text(driver).lower()

    # A derivative, with the rules named in the steps.
    solve(driver, lang, "derivative", {"expression": "x^2*sin(x)"}, "derivative")
    page = body_text(driver)
    assert "\\sin" not in page and "\\cdot" not in page and "\\frac" not in page
    assert len(driver.find_elements(By.CSS_SELECTOR, ".steps li")) >= 1
    record(lang, "cls_derivative_solution", layout_shift(driver))
    screenshot(driver, f"{lang}-solution-derivative")

    # History lists all three, solved.
    go(driver, paths["history"])
    rows = driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")
    assert len(rows) == 3
    assert all(text["solved"] in row.text for row in rows)
    screenshot(driver, f"{lang}-history")

    # The balance fell by exactly the prices.
    after = available_balance(driver, lang)
    assert after == start - 2 * quadratic_price - derivative_price
    screenshot(driver, f"{lang}-wallet")

    # Bad input: shown at the field, nothing charged, no job.
    go(driver, paths["problem"].format("quadratic_equation"))
    field = driver.find_element(By.ID, "f-equation")
    field.send_keys("x^2 +* 3 = 0")
    driver.find_element(By.ID, "solve-button").click()
    error = wait(driver).until(EC.visibility_of_element_located((By.ID, "f-equation-error")))
    assert error.text
    assert driver.find_element(By.ID, "f-equation").get_attribute("aria-invalid") == "true"
    screenshot(driver, f"{lang}-problem-error")
    assert available_balance(driver, lang) == after
    go(driver, paths["history"])
    assert len(driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")) == 3

    # A forged post (the session cookie rides along, the form token does not) is refused.
    forged = forged_post(driver, paths["problem"].format("quadratic_equation"),
                         {"equation": "x^2 - 1 = 0", "action": "solve", "submission": uuid.uuid4().hex * 2})
    assert forged["status"] == 403
    assert text["forbidden"] in forged["body"]
    wrong = forged_post(driver, paths["top_up"], {"method": "vnpay", "amount": "50000", "csrf": "A" * 86})
    assert wrong["status"] == 403
    assert available_balance(driver, lang) == after

    # The other pages, for the screenshots and a look at each.
    for name in ("account", "guides", "faq"):
        go(driver, paths[name])
        screenshot(driver, f"{lang}-{name}")
    go(driver, paths["guide"].format("huong-dan-phuong-trinh-bac-hai"))
    screenshot(driver, f"{lang}-guide")
    go(driver, paths["home"] + ("/khong-co" if lang == "vi" else "/no-such-page"))
    screenshot(driver, f"{lang}-not-found")

    # Log out: the header offers to log in again and private pages ask for it.
    driver.find_element(By.CSS_SELECTOR, "header form.inline button").click()
    wait(driver).until(lambda d: d.find_elements(By.LINK_TEXT, text["login"]))
    go(driver, paths["wallet"])
    assert driver.current_url.startswith(SITE + paths["login"])
    screenshot(driver, f"{lang}-login")


def test_pages_work_without_javascript():
    """Every page is usable without JavaScript: the form posts, the preview round-trips."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        go(driver, "/giai/derivative?expression=x%20sin(x)")
        # The server's own check: the field error and the "did you mean" link.
        assert driver.find_element(By.ID, "f-expression-error").text
        suggestion = driver.find_element(By.CSS_SELECTOR, "#f-expression-suggest a")
        assert suggestion.text == "x*sin(x)"
        click_and_load(driver, suggestion)
        assert "x*sin(x)" in driver.find_element(By.ID, "f-expression").get_attribute("value")
        # The preview button posts the form and shows what will be solved, in plain text.
        click_and_load(driver, driver.find_element(By.ID, "preview-button"))
        assert "x*sin(x)" in body_text(driver).replace(" ", "")
        screenshot(driver, "vi-no-javascript-preview")
    finally:
        driver.quit()


def test_no_console_errors_and_csp_holds():
    """The pages load without script errors or CSP violations in the browser's console."""
    driver = make_driver()
    try:
        for path in ("/", "/en", "/giai/quadratic_equation?equation=x%5E2-1%3D0", "/bang-gia", "/hoi-dap", "/huong-dan"):
            go(driver, path)
            time.sleep(0.5)
            problems = [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
            assert not problems, f"{path}: {problems}"
    finally:
        driver.quit()
