"""Reporting up the tree in a browser: a commune worker sends the Month of Action report from a phone, the district
accepts it and consolidates, the province accepts the district's, consolidates and prints it."""
from tests.browser import ARTIFACTS, sign_in
from tests.factories import pdf_text

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}
MONTH_OF_ACTION = "Báo cáo Tháng hành động vì trẻ em"


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def write_and_send(page, *, number=None, signer=None):
    for field in page.locator("#sections textarea").all():
        field.fill("Đã tổ chức lễ phát động; 350 trẻ em tham gia.")
    if number:
        page.fill("#number", number)
    if signer:
        page.fill("#signer_name", signer)
    page.click("#send")
    page.wait_for_selector(".flash--success")


def own_month_of_action_report(page, live_server):
    """The unit's own report, late, is the next duty on the reports page."""
    page.goto(f"{live_server}/reporting/")
    page.locator("#waiting").get_by_role("link", name=MONTH_OF_ACTION).click()


def test_a_commune_sends_the_month_of_action_report_the_district_accepts_the_province_consolidates_and_prints(
        browser, live_server, dialect):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    worker = browser.new_context(viewport=PHONE).new_page()
    sign_in(worker, live_server, "worker.camphuc")
    assert "Báo cáo cần gửi" in worker.inner_text("#waiting")
    worker.locator("#waiting").get_by_role("link", name=MONTH_OF_ACTION).click()
    assert "chậm từ sau ngày" in worker.inner_text(".next-step")
    assert fits(worker, PHONE["width"])
    write_and_send(worker, number="21/BC-UBND", signer="Trần Văn Hùng")
    assert "Đã gửi báo cáo lên Huyện Cẩm Giàng" in worker.inner_text("main")
    worker.screenshot(path=ARTIFACTS / f"{dialect}-reporting-1-sent.png", full_page=True)
    assert fits(worker, PHONE["width"])

    district = browser.new_context(viewport=PHONE).new_page()
    sign_in(district, live_server, "supervisor.camgiang")
    district.goto(f"{live_server}/reporting/")
    district.locator("#waiting").get_by_role("link", name="Xã Cẩm Phúc").first.click()
    district.get_by_role("button", name="Chấp nhận báo cáo").click()
    district.wait_for_selector(".flash--success")
    assert fits(district, PHONE["width"])
    own_month_of_action_report(district, live_server)
    write_and_send(district)
    assert "Đã gửi báo cáo lên Tỉnh Hải Dương" in district.inner_text("main")

    province = browser.new_context(viewport=DESK).new_page()
    sign_in(province, live_server, "officer.haiduong")
    province.goto(f"{live_server}/reporting/")
    province.locator("#waiting").get_by_role("link", name="Huyện Cẩm Giàng").first.click()
    province.get_by_role("button", name="Chấp nhận báo cáo").click()
    province.wait_for_selector(".flash--success")
    own_month_of_action_report(province, live_server)
    accepted = province.locator("#parts li", has_text="Huyện Cẩm Giàng").inner_text()
    assert "Đã chấp nhận" in accepted
    write_and_send(province, number="102/BC-UBND", signer="Vũ Thị Mai")
    assert "Đã gửi báo cáo lên UBND tỉnh" in province.inner_text("main")
    assert "Xã Cẩm Phúc" not in province.inner_text("#narratives")  # the province lists its districts
    province.screenshot(path=ARTIFACTS / f"{dialect}-reporting-2-consolidated.png", full_page=True)
    printed = province.request.get(live_server + province.get_by_role("link", name="In (PDF)").get_attribute("href"))
    assert printed.headers["content-type"] == "application/pdf"
    text = pdf_text(printed.body())
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 102/BC-UBND", "BÁO CÁO THÁNG HÀNH ĐỘNG VÌ TRẺ EM",
                  "Huyện Cẩm Giàng", "Vũ Thị Mai"):
        assert words in text
    assert fits(province, DESK["width"])
