"""The issue's quality bar, measured (not asserted): server time per page (the app's own
`Server-Timing: app;dur=…`, median and 90th percentile of 40 requests each, signed in as the
demo customer where the page is private) and page weight without KaTeX (HTML + the one CSS file
+ the one script, as transferred with gzip and uncompressed). Prints a table and writes
measurements.json to the artifacts folder."""
import json
import os
import pathlib
import re
import statistics
import sys

import requests

SITE = os.environ.get("MATHFARM_SITE_URL", "http://127.0.0.1:8080").rstrip("/")
ARTIFACTS = pathlib.Path(os.environ.get("MATHFARM_BROWSER_ARTIFACTS", ".ci/artifacts/browser"))
RUNS = int(os.environ.get("MATHFARM_MEASURE_RUNS", "40"))


def server_ms(response, metric="app"):
    match = re.search(metric + r";dur=([0-9.]+)", response.headers.get("Server-Timing", ""))
    return float(match.group(1)) if match else None


def login(session, email="demo@mathfarm.vn", password="demo-password-1"):
    page = session.get(SITE + "/dang-nhap")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    answer = session.post(SITE + "/dang-nhap", data={"csrf": token, "email": email, "password": password, "next": "/"},
                          allow_redirects=False)
    if answer.status_code != 303:
        sys.exit(f"demo login failed: {answer.status_code}")


def demo_solution(session):
    """A solved quadratic of the demo customer (submitted through the API), for its page."""
    token = requests.post(SITE + "/api/v1/auth/login", json={"email": "demo@mathfarm.vn", "password": "demo-password-1"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    job = requests.post(SITE + "/api/v1/solutions", headers=headers,
                        json={"problem": "quadratic_equation", "input": {"equation": "2x^2 - 3x - 7 = 0"}}).json()
    requests.get(f"{SITE}/api/v1/solutions/{job['id']}?wait=20", headers=headers)
    return job["id"]


def weight(session, path):
    """Bytes of the page and the assets it links (KaTeX excluded), gzip and raw."""
    wire = len(session.get(SITE + path, headers={"Accept-Encoding": "gzip"}, stream=True).raw.read(decode_content=False))
    text = session.get(SITE + path, headers={"Accept-Encoding": "identity"}).text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', text)
    own = [a for a in assets if "/katex/" not in a]
    plain = len(text.encode())
    for asset in own:
        packed = session.get(SITE + asset, headers={"Accept-Encoding": "gzip"}, stream=True).raw.read(decode_content=False)
        wire += len(packed)
        plain += len(requests.get(SITE + asset, headers={"Accept-Encoding": "identity"}).content)
    katex = [a for a in assets if "/katex/" in a]
    return {"gzip_bytes": wire, "raw_bytes": plain, "assets": own, "katex": bool(katex)}


def main():
    anonymous = requests.Session()
    signed_in = requests.Session()
    login(signed_in)
    solution = demo_solution(signed_in)
    pages = [
        ("home", "/", anonymous), ("home (en)", "/en", anonymous), ("pricing", "/bang-gia", anonymous),
        ("guides", "/huong-dan", anonymous), ("guide", "/huong-dan/huong-dan-phuong-trinh-bac-hai", anonymous),
        ("faq", "/hoi-dap", anonymous), ("register", "/dang-ky", anonymous), ("login", "/dang-nhap", anonymous),
        ("problem", "/giai/quadratic_equation", signed_in), ("problem + preview", "/giai/derivative?expression=x%5E2*sin(x)", signed_in),
        ("solution", f"/loi-giai/{solution}", signed_in), ("solution (en)", f"/en/solution/{solution}", signed_in),
        ("history", "/lich-su", signed_in), ("wallet", "/vi-tien", signed_in), ("top-up", "/nap-tien", signed_in),
        ("account", "/tai-khoan", signed_in), ("404", "/khong-co", anonymous),
    ]
    results = []
    for name, path, session in pages:
        times, renders = [], []
        for _ in range(RUNS):
            response = session.get(SITE + path, allow_redirects=False)
            ms = server_ms(response)
            if ms is not None:
                times.append(ms)
            render = server_ms(response, "render")
            if render is not None:
                renders.append(render)
        times.sort()
        results.append({
            "page": name, "path": path, "status": response.status_code,
            "server_ms_median": round(statistics.median(times), 2) if times else None,
            "server_ms_p90": round(times[int(len(times) * 0.9) - 1], 2) if times else None,
            "template_ms_median": round(statistics.median(renders), 2) if renders else None,
            **weight(session, path),
        })
    # Preview endpoint, which the problem page calls while the student types.
    times = []
    for _ in range(RUNS):
        response = anonymous.get(SITE + "/api/v1/preview", params={"problem": "derivative", "expression": "x^2*sin(x)"})
        times.append(response.elapsed.total_seconds() * 1000)
    times.sort()
    preview = {"round_trip_ms_median": round(statistics.median(times), 2)}

    print(f"\n{'page':<20} {'status':>6} {'server ms median':>17} {'p90':>7} {'template ms':>12} {'gzip KB':>8} {'raw KB':>7}  KaTeX")
    for row in results:
        print(f"{row['page']:<20} {row['status']:>6} {row['server_ms_median']!s:>17} {row['server_ms_p90']!s:>7} {row['template_ms_median']!s:>12} "
              f"{row['gzip_bytes'] / 1024:>8.1f} {row['raw_bytes'] / 1024:>7.1f}  {'yes' if row['katex'] else 'no'}")
    medians = [r["server_ms_median"] for r in results if r["server_ms_median"] is not None]
    summary = {
        "runs_per_page": RUNS,
        "worst_page_median_ms": max(medians),
        "median_of_medians_ms": round(statistics.median(medians), 2),
        "heaviest_page_gzip_kb": round(max(r["gzip_bytes"] for r in results) / 1024, 1),
        "heaviest_page_raw_kb": round(max(r["raw_bytes"] for r in results) / 1024, 1),
        "preview": preview,
    }
    print(f"\nworst page median {summary['worst_page_median_ms']} ms (target ≤ 20); heaviest page without KaTeX "
          f"{summary['heaviest_page_gzip_kb']} KB gzip / {summary['heaviest_page_raw_kb']} KB raw (target ≤ 50); "
          f"preview round trip median {preview['round_trip_ms_median']} ms")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "measurements.json").write_text(json.dumps({"pages": results, "summary": summary}, indent=2))


if __name__ == "__main__":
    main()
