"""`camp-manager import FILE` and `camp-manager import-undo`: the import wizard without a screen.

By default a file with any row in error writes nothing and exits with status 1;
`--skip-invalid` writes the valid rows and reports the rest; `--dry-run` only checks.
A file that cannot be read at all is a user error (status 2, one line), as elsewhere.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from camp_manager.cli.database import open_for_command
from camp_manager.db.backup import BackupLabel, automatic_backup
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import ImportBatch
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.importing.actions import Action, action_label
from camp_manager.importing.commit import commit
from camp_manager.importing.errors_report import write_error_report, write_survey_error_report
from camp_manager.importing.mapping import ListKind, choose_sheet, field_label, fields_for
from camp_manager.importing.normalize import Problem, Severity
from camp_manager.importing.plan import ImportOptions, ImportPlan
from camp_manager.importing.read import SourceFile, open_file
from camp_manager.importing.survey import SurveyPlan, check_survey, commit_survey, is_survey, problems_of
from camp_manager.importing.undo import undo_last_import
from camp_manager.importing.verdicts import check
from camp_manager.labels import label

EXIT_ROWS_IN_ERROR = 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("import", help=tr("입주기업 또는 호실 목록 스프레드시트 가져오기"))
    parser.add_argument("file", type=Path, metavar="FILE", help=tr("가져올 파일 (.xlsx, .xls, .ods, .csv)"))
    parser.add_argument("--facility", metavar="NAME", help=tr("가져올 시설 이름 (시설이 없으면 이 이름으로 만듭니다)"))
    parser.add_argument("--sheet", metavar="NAME", help=tr("시트 이름 (기본: 제목 행을 알아볼 수 있는 첫 시트)"))
    parser.add_argument("--rooms", action="store_true", help=tr("호실 목록으로 가져오기 (기본: 열 제목으로 판단)"))
    parser.add_argument("--create-rooms", action="store_true", help=tr("시설에 없는 호실을 만들기"))
    parser.add_argument("--dry-run", action="store_true", help=tr("확인만 하고 아무것도 쓰지 않기"))
    parser.add_argument("--skip-invalid", action="store_true", help=tr("오류가 있는 행은 빼고 올바른 행만 가져오기"))
    parser.add_argument(
        "--errors", type=Path, metavar="OUT.xlsx", help=tr("오류와 주의 사항을 표시한 파일을 저장할 경로")
    )
    parser.add_argument("--json", action="store_true", help=tr("JSON으로 출력"))
    parser.set_defaults(func=cmd_import)

    undo = commands.add_parser("import-undo", help=tr("마지막 가져오기 되돌리기"))
    undo.add_argument("--json", action="store_true", help=tr("JSON으로 출력"))
    undo.set_defaults(func=cmd_undo)


def cmd_import(args: argparse.Namespace) -> int:
    source = open_file(args.file)
    if is_survey(source):
        return _import_survey(args, source)
    kind = ListKind.ROOMS if args.rooms else None
    sheet, mapping = choose_sheet(source, args.sheet, kind)
    if mapping is None:
        needed = ", ".join(
            spec.label for spec in fields_for(kind or ListKind.RESIDENTS) if spec.key in ("name", "biz_reg_no", "room")
        )
        raise DomainError(
            tr(
                "'{file}'에서 열 제목 행을 찾지 못했습니다. 첫 30행 안에 '{needed}' 같은 열 제목이 있어야 합니다.",
                file=source.name,
                needed=needed,
            ),
            field="file",
        )
    engine = open_for_command(args.db)
    options = ImportOptions(facility=args.facility, create_rooms=args.create_rooms)
    with unit_of_work(engine) as session:
        plan = check(session=session, source=source, sheet=sheet, mapping=mapping, options=options)
        report = write_error_report(plan, sheet, args.errors) if args.errors and _has_problems(plan) else None
        blocked = bool(plan.error_rows) and not args.skip_invalid
        batch = None
        if not (args.dry_run or blocked):
            automatic_backup(engine.url, label=BackupLabel.BEFORE_IMPORT)
            batch = commit(session=session, plan=plan, skip_invalid=args.skip_invalid)
    summary = summarize(plan, batch=batch, dry_run=args.dry_run, error_report=report)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        _print_summary(plan, summary)
    return EXIT_ROWS_IN_ERROR if plan.error_rows and (blocked or args.dry_run) else 0


def _import_survey(args: argparse.Namespace, source: SourceFile) -> int:
    """A returned performance survey: every sheet checked, written in one transaction."""
    engine = open_for_command(args.db)
    with unit_of_work(engine) as session:
        plan = check_survey(session=session, source=source)
        report = (
            write_survey_error_report(plan, args.errors)
            if args.errors and any(v.problems for v in plan.verdicts)
            else None
        )
        blocked = bool(plan.error_rows) and not args.skip_invalid
        batch = None
        if not (args.dry_run or blocked):
            automatic_backup(engine.url, label=BackupLabel.BEFORE_IMPORT)
            batch = commit_survey(session=session, plan=plan, skip_invalid=args.skip_invalid)
    summary = _survey_summary(plan, batch=batch, dry_run=args.dry_run, error_report=report)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(
            tr(
                "'{file}': 경영성과 조사표. {create} {created}, {update} {updated}, {unchanged_label} {unchanged}, {error} {error_rows}행",
                file=plan.file_name,
                create=action_label(Action.CREATE),
                update=action_label(Action.UPDATE),
                unchanged_label=action_label(Action.UNCHANGED),
                error=action_label(Action.ERROR),
                **{k: summary[k] for k in ("created", "updated", "unchanged", "error_rows")},
            )
        )
        for sheet, problem in problems_of(plan, Severity.ERROR):
            print(f"  [{sheet}] " + problem_line(problem))
        _print_outcome(summary, error_rows=bool(plan.error_rows))
    return EXIT_ROWS_IN_ERROR if plan.error_rows and (blocked or args.dry_run) else 0


def _survey_summary(plan: SurveyPlan, *, batch: ImportBatch | None, dry_run: bool, error_report: Path | None) -> dict:
    return {
        "file": plan.file_name,
        "kind": "survey",
        "dry_run": dry_run,
        "written": batch is not None,
        "import_batch_id": batch.id if batch is not None else None,
        "created": plan.count(Action.CREATE),
        "updated": plan.count(Action.UPDATE),
        "unchanged": plan.count(Action.UNCHANGED),
        "skipped": plan.skipped,
        "error_rows": len(plan.error_rows),
        "errors": [{"sheet": sheet, **p.as_dict()} for sheet, p in problems_of(plan, Severity.ERROR)],
        "error_report": str(error_report) if error_report else None,
    }


def cmd_undo(args: argparse.Namespace) -> int:
    engine = open_for_command(args.db)
    with unit_of_work(engine) as session:
        batch = undo_last_import(session=session)
    if args.json:
        print(json.dumps({"undone_import_batch_id": batch.id, "file": batch.file_name}, ensure_ascii=False))
    else:
        print(tr("가져오기 {id}번('{file}')을 되돌렸습니다.", id=batch.id, file=batch.file_name))
    return 0


def _has_problems(plan: ImportPlan) -> bool:
    return any(v.problems for v in plan.verdicts) or bool(plan.skipped)


def summarize(
    plan: ImportPlan, *, batch: ImportBatch | None, dry_run: bool = False, error_report: Path | None = None
) -> dict:
    """The machine-readable summary of `--json`."""
    counts = plan.counts()
    return {
        "file": plan.file_name,
        "sheet": plan.sheet,
        "kind": plan.kind.value,
        "header_row": plan.mapping.header_row,
        "columns": {
            header: key
            for column, key in sorted(plan.mapping.columns.items())
            if (header := plan.mapping.header_of(column))
        },
        "facility": plan.facility,
        "dry_run": dry_run,
        "written": batch is not None,
        "import_batch_id": batch.id if batch is not None else None,
        "created": counts[Action.CREATE.value],
        "updated": counts[Action.UPDATE.value],
        "unchanged": counts[Action.UNCHANGED.value],
        "skipped": counts["skipped"],
        "error_rows": counts[Action.ERROR.value],
        "errors": [p.as_dict() for p in plan.problems(Severity.ERROR)],
        "warnings": [p.as_dict() for p in plan.problems(Severity.WARNING)],
        "skipped_rows": [{"row": s.row, "reason": s.reason} for s in plan.skipped],
        "rooms_to_create": [{"facility": r.facility, "code": r.code, "floor": r.floor} for r in plan.rooms_to_create],
        "error_report": str(error_report) if error_report else None,
    }


def problem_line(problem: Problem) -> str:
    """`7행 D열 [사업자등록번호] '999': …` — where, which column, what it holds, what is wrong."""
    where = (
        tr("{row}행 {letter}열", row=problem.row, letter=problem.column_letter)
        if problem.column_letter
        else tr("{row}행", row=problem.row)
    )
    header = f" [{problem.header}]" if problem.header else ""
    value = f" '{problem.value}'" if problem.value else ""
    return f"{where}{header}{value}: {problem.message}"


def _print_summary(plan: ImportPlan, summary: dict) -> None:
    print(
        tr(
            "'{file}' 시트 '{sheet}': {kind}, 제목 행 {row}",
            file=plan.file_name,
            sheet=plan.sheet,
            kind=label(plan.kind),
            row=plan.mapping.header_row,
        )
    )
    mapped = ", ".join(
        f"{field_label(key)} ← '{plan.mapping.header_of(column)}'" for key, column in plan.mapping.mapped().items()
    )
    print(tr("열 연결: {mapped}", mapped=mapped))
    ignored = plan.mapping.ignored_headers()
    if ignored:
        print(tr("가져오지 않는 열: {columns}", columns=", ".join(f"'{h}'" for h in ignored)))
    print(
        tr(
            "{create} {created}, {update} {updated}, {unchanged_label} {unchanged}, 건너뜀 {skipped}, {error} {error_rows}행",
            create=action_label(Action.CREATE),
            update=action_label(Action.UPDATE),
            unchanged_label=action_label(Action.UNCHANGED),
            error=action_label(Action.ERROR),
            **{k: summary[k] for k in ("created", "updated", "unchanged", "skipped", "error_rows")},
        )
    )
    for title, severity in ((tr("오류"), Severity.ERROR), (tr("주의"), Severity.WARNING)):
        problems = plan.problems(severity)
        if problems:
            print(f"{title}:")
            for problem in problems:
                print("  " + problem_line(problem))
    if plan.rooms_to_create:
        print(tr("새로 만들 호실: {rooms}", rooms=", ".join(r.code for r in plan.rooms_to_create)))
    _print_outcome(summary, error_rows=bool(plan.error_rows))


def _print_outcome(summary: dict, *, error_rows: bool) -> None:
    if summary["error_report"]:
        print(tr("오류 표시 파일: {path}", path=summary["error_report"]))
    if summary["written"]:
        print(tr("가져왔습니다 (가져오기 {id}번). 되돌리려면: camp-manager import-undo", id=summary["import_batch_id"]))
    elif summary["dry_run"]:
        print(tr("확인만 했습니다. 아무것도 쓰지 않았습니다."))
    elif error_rows:
        print(
            tr(
                "오류가 있는 행이 있어 아무것도 쓰지 않았습니다. 고친 뒤 다시 가져오거나 --skip-invalid로 올바른 행만 가져오세요."
            )
        )
    else:
        print(tr("바꿀 내용이 없습니다. 아무것도 쓰지 않았습니다."))
