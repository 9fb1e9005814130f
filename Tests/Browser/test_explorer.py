"""End-to-end tests of `bystander serve`: its JSON API against the CLI, its error paths, and
the page in a real browser (Debian's headless chromium driven through Selenium).

    python Tests/Browser/test_explorer.py --bin .build/debug/bystander [--out DIR] [--api-only]
    python Tests/Browser/test_explorer.py --bin ... --screenshot docs/explorer.png   (the README's picture)

Starts the server on a free loopback port (--port 0) in a scratch folder, runs every test and
closes with "browser: N passed, N failed". scripts/browser-test.sh sets up the venv and chromium.
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_YAML = os.path.join(ROOT, "Experiments", "default.yaml")


class Server:
    """`bystander serve --port 0` in its own folder; the address is read from what it prints."""

    def __init__(self, binary, workdir):
        self.log = open(os.path.join(workdir, "server.log"), "w")
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", "--experiments", os.path.join(ROOT, "Experiments"),
                                      "--save-to", os.path.join(workdir, "saved")],
                                     cwd=workdir, stdout=subprocess.PIPE, stderr=self.log, text=True)
        deadline = time.time() + 60
        self.url = None
        self.banner = []
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.banner.append(line.strip())
            m = re.search(r"open (http://127\.0\.0\.1:\d+)/", line)
            if m:
                self.url = m.group(1)
                break
        if not self.url:
            self.stop()
            raise RuntimeError("the server printed no address: " + " | ".join(self.banner))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def request(url, body=None, content_type="application/x-yaml", method=None):
    """(status, parsed JSON or text) of one HTTP request."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"))
    if data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def cli(binary, *args, cwd):
    return subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(s):
    return None if s == "" else float(s)


class Suite:
    def __init__(self, args):
        self.args = args
        self.binary = os.path.abspath(args.bin)
        self.out = os.path.abspath(args.out)
        os.makedirs(self.out, exist_ok=True)
        self.work = tempfile.mkdtemp(prefix="bystander-browser-")
        self.server = Server(self.binary, self.work)
        self.passed = 0
        self.failed = 0
        self.driver = None

    def check(self, name, fn):
        try:
            fn()
            self.passed += 1
            print(f"PASS {name}", flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported and counted
            self.failed += 1
            print(f"FAIL {name}: {e}", flush=True)
            traceback.print_exc(limit=3)

    def small_config(self, replicates=60):
        with open(DEFAULT_YAML) as f:
            text = f.read()
        text = re.sub(r"(?m)^replicates: \d+", f"replicates: {replicates}", text)
        path = os.path.join(self.work, f"small-{replicates}.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path, text

    # ------------------------------------------------------------------ API

    def test_banner(self):
        assert any("loopback" in line for line in self.server.banner), self.server.banner

    def test_params_match_cli(self):
        status, body = request(self.server.url + "/api/params")
        assert status == 200, body
        api = {p["path"]: p for p in body["parameters"]}
        rows = list(csv.DictReader(cli(self.binary, "params", "--format", "csv", cwd=self.work).stdout.splitlines()))
        assert rows and len(rows) == len(api), (len(rows), len(api))
        for r in rows:
            p = api[r["key"]]
            assert (p["default"], p["unit"], p["source"], p["doc"], p["kind"]) == (r["default"], r["unit"], r["source"], r["meaning"], r["kind"]), r["key"]
        assert sum(1 for p in api.values() if "slider" in p) >= 8

    def test_run_equals_cli(self):
        path, text = self.small_config(60)
        folder = os.path.join(self.work, "cli-run")
        r = cli(self.binary, "run", path, "--output", folder, "--progress", "quiet", cwd=self.work)
        assert r.returncode == 0, r.stderr
        status, body = request(self.server.url + "/api/run", text)
        assert status == 200, body
        assert body["config_yaml"] == text
        summary = read_csv(os.path.join(folder, "summary.csv"))
        assert summary
        for row in summary:
            cell = body["summary"][row["regime"]][row["outcome"]]
            assert cell["n"] == int(row["n"]), row
            for k in ["mean", "sd", "p05", "p25", "p50", "p75", "p95"]:
                assert cell[k] == number(row[k]), (row["regime"], row["outcome"], k, cell[k], row[k])
        comparison = read_csv(os.path.join(folder, "comparison.csv"))
        for row in comparison:
            cell = body["comparison"][row["regime"]][row["outcome"]]
            assert cell["n_pairs"] == int(row["n_pairs"]) and cell["reference"] == row["reference"], row
            for k in ["mean_difference", "ci95_low", "ci95_high", "p_value"]:
                assert cell[k] == number(row[k]), (row["regime"], row["outcome"], k)
        runs = read_csv(os.path.join(folder, "runs.csv"))
        for regime in body["regimes"]:
            deaths = [number(r["deaths_total"]) for r in runs if r["regime"] == regime]
            assert body["per_run"][regime]["deaths_total"] == deaths, regime
        counted = {}
        for v in read_csv(os.path.join(folder, "votes.csv")):
            m = counted.setdefault(v["regime"], {}).setdefault(v["member"], {"yes": 0, "no": 0, "abstain": 0})
            m[v["vote"]] += 1
        assert counted and all(body["council"][g]["votes_by_member"] == counted.get(g, {}) for g in body["regimes"])
        self.api_result = body

    def test_timeline_equals_cli_timeseries(self):
        path, text = self.small_config(4)
        folder = os.path.join(self.work, "cli-ts")
        r = cli(self.binary, "run", path, "--output", folder, "--progress", "quiet", "--timeseries", "4", cwd=self.work)
        assert r.returncode == 0, r.stderr
        weeks = read_csv(os.path.join(folder, "timeseries.csv"))
        votes = read_csv(os.path.join(folder, "votes.csv"))
        for regime, replicate in [("individual_duty", 3), ("buck_passing", 1)]:
            status, t = request(f"{self.server.url}/api/timeline?regime={regime}&replicate={replicate}", text)
            assert status == 200, t
            mine = [w for w in weeks if w["regime"] == regime and w["replicate"] == str(replicate)]
            assert len(mine) == len(t["weeks"]["week"]) > 0
            for k, w in enumerate(mine):
                assert t["weeks"]["phase"][k] == w["phase"]
                for col in ["deaths", "salience", "warning_level", "troops_deployed", "council_level"]:
                    assert t["weeks"][col][k] == float(w[col]), (regime, replicate, k, col)
            cast = [v for v in votes if v["regime"] == regime and v["replicate"] == str(replicate)]
            assert sum(len(d["votes"]) for d in t["drafts"]) == len(cast)

    def test_errors_are_one_line_400s(self):
        url = self.server.url
        cases = {
            "unknown-key.yaml": "name: x\ncrisis:\n  kill_rat: 0.1\n",
            "out-of-range.yaml": "name: x\nreplicates: 5\ncrisis:\n  deaths:\n    kill_rate: 2\n",
            "not-a-number.yaml": "name: x\ncouncil:\n  quota: many\n",
            "bad-yaml.yaml": "name: [x\n",
        }
        for name, text in cases.items():
            path = os.path.join(self.work, name)
            with open(path, "w") as f:
                f.write(text)
            r = cli(self.binary, "run", path, "--output", os.path.join(self.work, "never"), cwd=self.work)
            assert r.returncode == 2, (name, r.returncode)
            expected = r.stderr.strip().removeprefix("bystander: ")
            status, body = request(url + "/api/run", json.dumps({"config": text, "name": path}), "application/json")
            assert status == 400 and body["error"] == expected, (name, status, body, expected)
            assert "\n" not in body["error"]
        assert not os.path.exists(os.path.join(self.work, "never"))
        bounded = [
            ("replicates: 20000\n", 400, "replicates"),
            ("sweep:\n  method: grid\n  parameters:\n    duties.enforcement: {values: [0, 1]}\n", 400, "the explorer runs one point"),
            ("world:\n  count: 50000\n", 400, "world.count"),
        ]
        for text, code, word in bounded:
            status, body = request(url + "/api/run", text)
            assert status == code and word in body["error"], (text, status, body)
        status, body = request(url + "/api/run", "# " + "x" * (400 * 1024))
        assert status == 413 and "larger than" in body["error"], (status, body)
        status, body = request(url + "/api/run", "{not json", "application/json")
        assert status == 400 and "JSON" in body["error"], body
        status, body = request(url + "/api/run", json.dumps({"experiment": "default", "set": {"crisis.deaths.kill_rate": "lots"}}), "application/json")
        assert status == 400 and body["error"].startswith("config error: line") and "crisis.deaths.kill_rate: must be a number" in body["error"], body
        status, body = request(url + "/api/timeline?regime=nobody&replicate=0", "replicates: 2\n")
        assert status == 400 and "regime" in body["error"], body
        status, body = request(url + "/api/timeline?regime=buck_passing&replicate=7", "replicates: 2\n")
        assert status == 400 and "replicate" in body["error"], body
        status, body = request(url + "/api/experiments/../../etc/passwd")
        assert status in (400, 404), (status, body)
        # Still serving after all that.
        status, body = request(url + "/api/params")
        assert status == 200

    def test_save_reproduces(self):
        body = json.dumps({"experiment": "default", "set": {"replicates": "30", "duties.enforcement": "2.5"}})
        status, saved = request(self.server.url + "/api/save", body, "application/json")
        assert status == 200, saved
        for f in ["runs.csv", "summary.csv", "comparison.csv", "votes.csv", "manifest.json"]:
            assert f in saved["files"], saved["files"]
        r = cli(self.binary, "reproduce", saved["manifest"], cwd=self.work)
        assert r.returncode == 0 and "byte-identical" in r.stdout, r.stdout + r.stderr
        status, again = request(self.server.url + "/api/save", body, "application/json")
        assert status == 200 and again["reused"] and again["folder"] == saved["folder"]

    # ------------------------------------------------------------------ browser

    def start_browser(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = self.args.chromium
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1440,2200",
                  "--no-first-run", "--disable-extensions", "--disable-background-networking"]:
            options.add_argument(a)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=self.args.chromedriver), options=options)
        self.driver.set_page_load_timeout(60)

    def wait(self, predicate, what, timeout=60):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: predicate(d), message=what)

    def runs_done(self):
        return int(self.driver.find_element("tag name", "body").get_attribute("data-runs") or 0)

    def load_page(self):
        d = self.driver
        d.get(self.server.url + "/")
        self.wait(lambda d: self.runs_done() >= 1, "the first results")
        self.wait(lambda d: len(d.find_elements("css selector", "#chart-deaths svg")) == 3, "three deaths charts")

    def test_page_loads_with_charts(self):
        self.load_page()
        d = self.driver
        assert d.title == "bystander explorer"
        assert len(d.find_elements("css selector", "#chart-response svg")) == 3
        assert len(d.find_elements("css selector", "#chart-diff svg")) >= 3
        assert d.find_elements("css selector", "#chart-deaths rect.bar[tabindex='0']"), "bars are keyboard-focusable"
        labels = d.find_elements("css selector", "#slider-list input[type=range]")
        assert len(labels) >= 8
        for s in labels:  # every slider has a label and its source on hover
            sid = s.get_attribute("aria-describedby")
            assert sid and "Source:" in d.find_element("id", sid).get_attribute("textContent")
        # Nothing was fetched from another origin.
        origins = d.execute_script("return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
        assert set(origins) <= {self.server.url}, origins
        severe = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
        assert not severe, severe

    def test_slider_moves_numbers_match_api(self):
        from selenium.webdriver.common.keys import Keys
        d = self.driver
        before = self.runs_done()
        slider = d.find_element("css selector", "input[type=range][data-path='duties.enforcement']")
        slider.click()
        for _ in range(6):
            slider.send_keys(Keys.ARROW_RIGHT)
        self.wait(lambda d: self.runs_done() > before and d.find_element("id", "results").get_attribute("aria-busy") == "false", "recomputed results")
        field = d.find_element("id", "p-duties-enforcement")
        assert field.get_attribute("value") == slider.get_attribute("value")
        yaml = d.find_element("id", "yaml").get_attribute("value")
        assert "duties" in yaml and "enforcement: " + slider.get_attribute("value") in yaml, yaml[:300]
        status, api = request(self.server.url + "/api/run", yaml)
        assert status == 200, api
        cells = d.find_elements("css selector", "#summary-table td[data-p50]")
        assert cells
        for c in cells:
            s = api["summary"][c.get_attribute("data-regime")][c.get_attribute("data-outcome")]
            for k in ["p50", "p05", "p95", "mean"]:
                shown = c.get_attribute("data-" + k)
                assert (shown == "" and s[k] is None) or float(shown) == s[k], (c.get_attribute("data-outcome"), k, shown, s[k])
            if s["n"]:
                assert c.text.startswith(self.driver.execute_script("return fmt(arguments[0])", s["p50"])), (c.text, s["p50"])
        diffs = d.find_elements("css selector", "#summary-table td[data-difference]")
        for c in diffs:
            v = c.get_attribute("data-difference")
            s = api["comparison"][c.get_attribute("data-regime")][c.get_attribute("data-outcome")]["mean_difference"]
            assert (v == "" and s is None) or float(v) == s

    def test_timeline_opens(self):
        d = self.driver
        # The tallest bar: a bar a pixel high is a target no user (and no click) can hit.
        bars = d.find_elements("css selector", "#chart-deaths svg[data-regime='capacity_based'] rect.bar")
        bar = max(bars, key=lambda b: float(b.get_attribute("height")))
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", bar)
        bar.click()
        self.wait(lambda d: d.find_elements("id", "timeline-svg"), "the timeline")
        tl = d.find_element("id", "timeline")
        assert tl.get_attribute("data-regime") == "capacity_based"
        rep = int(tl.get_attribute("data-replicate"))
        yaml = d.find_element("id", "yaml").get_attribute("value")
        status, t = request(f"{self.server.url}/api/timeline?regime=capacity_based&replicate={rep}", yaml)
        assert status == 200
        assert len(d.find_elements("css selector", "#drafts-table tbody tr")) == len(t["drafts"])
        assert d.find_elements("css selector", "#timeline-svg rect title"), "phase band and deaths"
        d.execute_script("document.getElementById('timeline').scrollIntoView()")
        d.save_screenshot(os.path.join(self.out, "timeline.png"))

    def test_upload_rejects_bad_config(self):
        d = self.driver
        path = os.path.join(self.work, "upload-bad.yaml")
        with open(path, "w") as f:
            f.write("name: x\nduties:\n  enforcment: 1\n")
        d.find_element("id", "upload").send_keys(path)
        self.wait(lambda d: d.find_element("id", "config-error").is_displayed(), "the config error")
        text = d.find_element("id", "config-error").text
        expected = cli(self.binary, "run", path, cwd=self.work).stderr.strip().removeprefix("bystander: ")
        assert text == expected, (text, expected)

    def screenshot(self, path):
        self.start_browser()
        self.load_page()
        from selenium.webdriver.common.keys import Keys
        before = self.runs_done()
        slider = self.driver.find_element("css selector", "input[type=range][data-path='duties.enforcement']")
        slider.click()
        for _ in range(5):
            slider.send_keys(Keys.ARROW_RIGHT)
        self.wait(lambda d: self.runs_done() > before and d.find_element("id", "results").get_attribute("aria-busy") == "false", "recomputed")
        self.driver.set_window_size(1440, 1500)
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.driver.save_screenshot(path)
        print(f"screenshot: {path}")

    def close(self):
        if self.driver:
            self.driver.quit()
        self.server.stop()
        if os.environ.get("KEEP_WORK"):
            print(f"work folder kept: {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", default=os.path.join(ROOT, "Results", "browser-test"))
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    ap.add_argument("--api-only", action="store_true", help="skip the browser tests (no chromium here)")
    ap.add_argument("--screenshot", help="only load the page, move a slider and save a screenshot here")
    args = ap.parse_args()
    suite = Suite(args)
    try:
        if args.screenshot:
            suite.screenshot(os.path.abspath(args.screenshot))
            return 0
        for name in ["test_banner", "test_params_match_cli", "test_run_equals_cli", "test_timeline_equals_cli_timeseries",
                     "test_errors_are_one_line_400s", "test_save_reproduces"]:
            suite.check(name, getattr(suite, name))
        if not args.api_only:
            try:
                suite.start_browser()
            except Exception as e:  # noqa: BLE001
                suite.failed += 1
                print(f"FAIL start_browser: {e}")
            else:
                for name in ["test_page_loads_with_charts", "test_slider_moves_numbers_match_api", "test_timeline_opens",
                             "test_upload_rejects_bad_config"]:
                    suite.check(name, getattr(suite, name))
                if suite.driver:
                    suite.driver.save_screenshot(os.path.join(suite.out, "explorer.png"))
                    print(f"screenshots: {suite.out}/explorer.png, {suite.out}/timeline.png")
    finally:
        suite.close()
    print(f"browser: {suite.passed} passed, {suite.failed} failed")
    return 1 if suite.failed else 0


if __name__ == "__main__":
    sys.exit(main())
