"""The two demos, one per list of units: Hải Dương before the reform of 1 July 2025 (three levels) and Hải Phòng
after it (two levels, Hải Dương merged into it). The cases and referrals are the same story told in each."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Demo:
    edition: str
    units_file: str
    accounts: tuple[tuple[str, str, str, str], ...]  # username, full name, role, unit code
    offices: dict[str, str]  # the title each leader signs decisions under (Mẫu 05, 07)
    # The places the story happens in: "first" and "second" commune, the supervisor's unit ("above"), the province.
    places: dict[str, str]
    # Who plays each part: first_worker, first_leader, second_worker, second_leader, supervisor, officer, hotline;
    # and who raises a case to the province by hand ("to_province": the supervisor where one sits below it); the
    # first commune's village collaborator, where the demo has one.
    people: dict[str, str]
    providers: tuple[tuple[str, str, str, str], ...]  # place, kind, name, contact
    # The province's departments and agencies that report (the plan's section III), and the department of each
    # department officer's account.
    departments: tuple[str, ...] = ()
    department_of: dict[str, str] = field(default_factory=dict)

    @property
    def seed(self) -> int:
        """The same cases each time the demo is loaded."""
        return int(self.edition)


HAI_DUONG_2024 = Demo(
    edition="2024",
    units_file="hai_duong_2024.csv",
    accounts=(
        ("worker.camphuc", "Nguyễn Thị Lan", "worker", "10933"),
        ("leader.camphuc", "Trần Văn Hùng", "commune_leader", "10933"),
        ("worker.tanviet", "Phạm Thị Hoa", "worker", "10966"),
        ("leader.tanviet", "Hoàng Văn Nam", "commune_leader", "10966"),
        ("supervisor.camgiang", "Lê Minh Tuấn", "supervisor", "295"),
        ("officer.haiduong", "Vũ Thị Mai", "province_officer", "30"),
        ("inspector.haiduong", "Đỗ Quang Huy", "inspector", "30"),
        ("hotline.haiduong", "Bùi Thị Thu", "intake", "30"),
        ("collaborator.camphuc", "Đinh Thị Nga", "collaborator", "10933"),
        ("department.health.haiduong", "Nguyễn Thị Thu Hà", "department_officer", "30"),
        ("admin", "Quản trị hệ thống", "admin", "30"),
    ),
    offices={"leader.camphuc": "chairman", "leader.tanviet": "vice_chairman"},
    places={"first": "10933", "second": "10966", "above": "295", "province": "30"},
    people={"first_worker": "worker.camphuc", "first_leader": "leader.camphuc", "second_worker": "worker.tanviet",
            "second_leader": "leader.tanviet", "supervisor": "supervisor.camgiang", "officer": "officer.haiduong",
            "hotline": "hotline.haiduong", "to_province": "supervisor.camgiang",
            "collaborator": "collaborator.camphuc"},
    providers=(
        ("above", "police", "Công an huyện Cẩm Giàng", "Thị trấn Cẩm Giang, 0220 3786 113"),
        ("above", "health", "Trung tâm Y tế huyện Cẩm Giàng", "0220 3786 115"),
        ("province", "social_work_centre", "Trung tâm Công tác xã hội tỉnh Hải Dương", "0220 3852 111"),
        ("first", "health", "Trạm Y tế xã Cẩm Phúc", "0220 3786 200"),
    ),
    departments=("Sở Y tế tỉnh Hải Dương", "Sở Giáo dục và Đào tạo tỉnh Hải Dương", "Công an tỉnh Hải Dương",
                 "Tỉnh đoàn Hải Dương", "Hội Liên hiệp Phụ nữ tỉnh Hải Dương"),
    department_of={"department.health.haiduong": "Sở Y tế tỉnh Hải Dương"},
)

# Two levels: the supervisor sits at the city (app/access.py, ROLE_LEVELS_WITHOUT_DISTRICTS). Usernames differ from
# the 2024 demo's, so that both demos can live in one database.
HAI_PHONG_2025 = Demo(
    edition="2025",
    units_file="hai_phong_2025.csv",
    accounts=(
        ("worker.maodien", "Nguyễn Thị Hạnh", "worker", "10930"),
        ("leader.maodien", "Phạm Văn Đức", "commune_leader", "10930"),
        ("worker.tuetinh", "Trần Thị Nga", "worker", "10909"),
        ("leader.tuetinh", "Vũ Văn Khánh", "commune_leader", "10909"),
        ("supervisor.haiphong", "Lê Thị Hồng", "supervisor", "31"),
        ("officer.haiphong", "Đặng Văn Toàn", "province_officer", "31"),
        ("inspector.haiphong", "Ngô Thị Thanh", "inspector", "31"),
        ("hotline.haiphong", "Hoàng Thị Liên", "intake", "31"),
        ("department.health.haiphong", "Trần Văn Phúc", "department_officer", "31"),
        ("collaborator.maodien", "Trịnh Thị Hoài", "collaborator", "10930"),
        ("admin.haiphong", "Quản trị hệ thống Hải Phòng", "admin", "31"),
    ),
    offices={"leader.maodien": "chairman", "leader.tuetinh": "vice_chairman"},
    places={"first": "10930", "second": "10909", "above": "31", "province": "31"},
    people={"first_worker": "worker.maodien", "first_leader": "leader.maodien", "second_worker": "worker.tuetinh",
            "second_leader": "leader.tuetinh", "supervisor": "supervisor.haiphong", "officer": "officer.haiphong",
            "hotline": "hotline.haiphong", "to_province": "leader.maodien",
            "collaborator": "collaborator.maodien"},
    providers=(
        ("above", "police", "Công an thành phố Hải Phòng", "0225 3842 113"),
        ("above", "health", "Bệnh viện Trẻ em Hải Phòng", "0225 3718 115"),
        ("province", "social_work_centre", "Trung tâm Công tác xã hội thành phố Hải Phòng", "0225 3852 111"),
        ("first", "health", "Trạm Y tế xã Mao Điền", "0220 3786 200"),
    ),
    departments=("Sở Y tế thành phố Hải Phòng", "Sở Giáo dục và Đào tạo thành phố Hải Phòng",
                 "Công an thành phố Hải Phòng", "Thành đoàn Hải Phòng", "Hội Liên hiệp Phụ nữ thành phố Hải Phòng"),
    department_of={"department.health.haiphong": "Sở Y tế thành phố Hải Phòng"},
)

DEMOS = {demo.edition: demo for demo in (HAI_DUONG_2024, HAI_PHONG_2025)}
