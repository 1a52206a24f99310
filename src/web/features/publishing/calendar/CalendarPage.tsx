import type { DatesSetArg, EventContentArg, EventDropArg, EventInput, EventMountArg, EventClickArg } from "@fullcalendar/core";
import deLocale from "@fullcalendar/core/locales/de";
import faLocale from "@fullcalendar/core/locales/fa";
import itLocale from "@fullcalendar/core/locales/it";
import nlLocale from "@fullcalendar/core/locales/nl";
import dayGridPlugin from "@fullcalendar/daygrid";
import interactionPlugin, { type DateClickArg } from "@fullcalendar/interaction";
import listPlugin from "@fullcalendar/list";
import FullCalendar from "@fullcalendar/react";
import timeGridPlugin from "@fullcalendar/timegrid";
import { ActionIcon, Alert, Anchor, Box, Button, Card, Group, Modal, SegmentedControl, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import { IconChevronLeft, IconChevronRight, IconList, IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../../../api/client";
import { useActiveMe, useCan } from "../../../app/session";
import { Page } from "../../../components/Page";
import { formatDateTime, formatNumber } from "../../../i18n/format";
import { currentLocale, directionOf } from "../../../i18n";
import { firstDayOfWeek } from "../../../i18n/week";
import { useChannels } from "../../channels/hooks";
import { TimeZoneNote } from "../components";
import { POSTS_KEY, usePublishingStatus } from "../hooks";
import type { Post } from "../types";
import { CALENDAR_COLORS, CALENDAR_STATES, calendarState, canMove, excerpt, type CalendarState } from "./entries";
import { isPauseWarning, moveErrorText, useReschedulePost } from "./reschedule";
import "./calendar.css";

const VIEWS = { month: "dayGridMonth", week: "timeGridWeek", list: "listMonth" } as const;
type View = keyof typeof VIEWS;
const LOCALES = [deLocale, itLocale, nlLocale, faLocale];

/** "2026-11-23" for a local date. */
const dayOf = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
const isDay = (value: string | null): value is string => Boolean(value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(new Date(`${value}T00:00`).getTime()));

type PendingPause = { post: Post; at: string; reason: string; revert: () => void };

/**
 * /publishing/calendar?view=month|week|list&date=YYYY-MM-DD: the workspace's posts with a time, by state, in the
 * viewer's time zone. Drag an entry to another day (month) or time (week) to move it; click an empty day or time to
 * write a post for it. The view and the period are in the address, so a link to them can be shared.
 */
export function CalendarPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useActiveMe();
  const canRead = useCan("posts.read");
  const canWrite = useCan("posts.write");
  const channels = useChannels();
  const status = usePublishingStatus();
  const move = useReschedulePost();
  const [params, setParams] = useSearchParams();
  const view: View = params.get("view") === "week" || params.get("view") === "list" ? (params.get("view") as View) : "month";
  const dateParam = params.get("date");
  const date = isDay(dateParam) ? dateParam : dayOf(new Date());
  const calendar = useRef<FullCalendar>(null);
  const [range, setRange] = useState<{ start: string; end: string; title: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pendingPause, setPendingPause] = useState<PendingPause | null>(null);
  const locale = currentLocale();
  const direction = directionOf(locale);

  const posts = useQuery({
    queryKey: [...POSTS_KEY, "calendar", range?.start, range?.end],
    queryFn: () => api<{ posts: Post[] }>("GET", `/posts?from=${encodeURIComponent(range!.start)}&to=${encodeURIComponent(range!.end)}&limit=500`).then((r) => r.posts),
    enabled: canRead && range !== null,
    refetchInterval: 15_000,
    placeholderData: (previous) => previous,
  });
  const approved = useQuery({
    queryKey: [...POSTS_KEY, "approved-count"],
    queryFn: () => api<{ posts: Post[] }>("GET", "/posts?state=approved&limit=500").then((r) => r.posts.length),
    enabled: canRead,
  });

  // The address changed (back, a shared link): show what it names.
  useEffect(() => {
    const api = calendar.current?.getApi();
    if (!api) return;
    if (api.view.type !== VIEWS[view]) api.changeView(VIEWS[view], date);
    else if (dayOf(api.view.currentStart) !== dayOf(anchorOf(view, new Date(`${date}T00:00`), api.view.currentStart))) api.gotoDate(date);
  }, [view, date]);

  const onDatesSet = (arg: DatesSetArg) => {
    setRange({ start: arg.view.activeStart.toISOString(), end: arg.view.activeEnd.toISOString(), title: arg.view.title });
    const shown = dayOf(arg.view.currentStart);
    const wanted = (Object.keys(VIEWS) as View[]).find((key) => VIEWS[key] === arg.view.type) ?? "month";
    if (shown !== params.get("date") || wanted !== view || !params.get("view")) setParams({ view: wanted, date: shown }, { replace: true });
  };

  const channelOf = (id: string) => channels.data?.find((c) => c.id === id);
  const handlesOf = (post: Post) => post.targets.map((target) => `@${channelOf(target.channelId)?.handle ?? "…"}`).join(", ");
  const stateLabel = (state: CalendarState) => t(`calendar.states.${state}`);

  const events: EventInput[] = useMemo(
    () =>
      (posts.data ?? []).flatMap((post) => {
        const state = calendarState(post);
        if (!state) return [];
        const colors = CALENDAR_COLORS[state];
        return [
          {
            id: post.id,
            title: excerpt(post.text) || t("publishing.noText"),
            start: post.scheduledAt!,
            url: `/publishing/posts/${encodeURIComponent(post.id)}`,
            startEditable: canMove(post, channels.data, me.user.id),
            backgroundColor: colors.background,
            borderColor: colors.border,
            textColor: "var(--mantine-color-dark-9)",
            classNames: [`calendar-entry--${state}`],
            extendedProps: { post, state },
          },
        ];
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [posts.data, channels.data, me.user.id, t],
  );

  const renderEntry = (arg: EventContentArg) => {
    const post = arg.event.extendedProps.post as Post;
    const state = arg.event.extendedProps.state as CalendarState;
    return (
      <div className="calendar-entry">
        <div className="calendar-entry__head">
          {arg.timeText && <span className="calendar-entry__time">{arg.timeText}</span>}
          <span className="calendar-entry__state">{stateLabel(state)}</span>
        </div>
        <div className="calendar-entry__channels ltr-value">{handlesOf(post)}</div>
        <div className="calendar-entry__text" dir="auto">
          {arg.event.title}
        </div>
      </div>
    );
  };

  const onMount = (arg: EventMountArg) => {
    const post = arg.event.extendedProps.post as Post;
    const state = arg.event.extendedProps.state as CalendarState;
    arg.el.dataset.postId = post.id;
    arg.el.dataset.state = state;
    arg.el.setAttribute("aria-label", t("calendar.entryLabel", { state: stateLabel(state), time: formatDateTime(post.scheduledAt!), channels: handlesOf(post), text: arg.event.title }));
  };

  const onClick = (arg: EventClickArg) => {
    arg.jsEvent.preventDefault();
    if (arg.event.url) navigate(arg.event.url);
  };

  const send = (post: Post, at: string, revert: () => void, acknowledgePause = false) => {
    setProblem(null);
    move.mutate(
      { post, at, acknowledgePause },
      {
        onError: (error) => {
          if (isPauseWarning(error) && !acknowledgePause) {
            const pauses = status.data?.pauses ?? [];
            const pause = pauses.find((p) => p.channelIds === null) ?? pauses.find((p) => post.targets.some((target) => p.channelIds?.includes(target.channelId)));
            setPendingPause({ post, at, revert, reason: pause?.reason ?? t("calendar.pausedTitle") });
            return;
          }
          revert();
          setProblem(moveErrorText(t, error));
        },
        onSuccess: (saved) => {
          setProblem(null);
          announce(t("calendar.moved", { time: formatDateTime(saved.scheduledAt ?? at) }));
        },
      },
    );
  };
  const [announcement, setAnnouncement] = useState("");
  const announce = (message: string) => setAnnouncement(message);

  const onDrop = (arg: EventDropArg) => {
    const post = arg.event.extendedProps.post as Post;
    if (!arg.event.start) return arg.revert();
    send(post, arg.event.start.toISOString(), arg.revert);
  };

  const onDateClick = (arg: DateClickArg) => {
    if (!canWrite) return;
    const at = new Date(arg.date);
    const now = new Date();
    if (arg.allDay) at.setHours(9, 0, 0, 0);
    if (at.getTime() < now.getTime()) {
      if (dayOf(at) !== dayOf(now)) return; // a day gone by: nothing to write for it
      at.setTime(now.getTime());
      at.setHours(at.getHours() + 1, 0, 0, 0);
    }
    navigate(`/publishing/new?at=${encodeURIComponent(at.toISOString())}`);
  };

  const api_ = () => calendar.current?.getApi();
  /** Switching views keeps today when it is shown, else the first day shown (a month's first). */
  const keptDay = () => {
    const now = Date.now();
    return range && new Date(range.start).getTime() <= now && now < new Date(range.end).getTime() && (view !== "month" || dayOf(new Date()).slice(0, 7) === date.slice(0, 7)) ? dayOf(new Date()) : date;
  };
  const Previous = direction === "rtl" ? IconChevronRight : IconChevronLeft;
  const Next = direction === "rtl" ? IconChevronLeft : IconChevronRight;

  return (
    <Page
      title={t("calendar.title")}
      description={t("calendar.description")}
      actions={
        <>
          <Button component={Link} to="/publishing" variant="default" leftSection={<IconList size={16} aria-hidden />}>
            {t("publishing.title")}
          </Button>
          {canWrite && (
            <Button component={Link} to="/publishing/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t("publishing.newPost")}
            </Button>
          )}
        </>
      }
    >
      <Group justify="space-between" wrap="wrap" gap="sm">
        {/* Wraps so that on a phone a long range title ("November – December 2026") moves below the buttons instead of squeezing "Today". */}
        <Group gap="xs" wrap="wrap">
          <ActionIcon variant="default" size="lg" aria-label={t("calendar.previous")} onClick={() => api_()?.prev()}>
            <Previous size={18} aria-hidden />
          </ActionIcon>
          <ActionIcon variant="default" size="lg" aria-label={t("calendar.next")} onClick={() => api_()?.next()}>
            <Next size={18} aria-hidden />
          </ActionIcon>
          <Button variant="default" onClick={() => api_()?.today()}>
            {t("calendar.today")}
          </Button>
          <Title order={2} fz="h3" aria-live="polite" data-testid="calendar-title">
            {range?.title ?? ""}
          </Title>
        </Group>
        <SegmentedControl
          aria-label={t("calendar.viewLabel")}
          value={view}
          onChange={(value) => setParams({ view: value, date: keptDay() }, { replace: false })}
          data={(Object.keys(VIEWS) as View[]).map((value) => ({ value, label: t(`calendar.views.${value}`) }))}
        />
      </Group>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <TimeZoneNote />
        {approved.data ? (
          <Text size="sm">
            {t("calendar.approvedWithoutTime", { count: approved.data, formattedCount: formatNumber(approved.data) })}{" "}
            <Anchor component={Link} to="/publishing?status=approved">
              {t("calendar.showApproved")}
            </Anchor>
          </Text>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        {t("calendar.hint")}
      </Text>
      {problem && (
        <Alert color="red" variant="light" title={t("calendar.notMoved")} role="alert" withCloseButton closeButtonLabel={t("common.close")} onClose={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
      <VisuallyHidden role="status" aria-live="polite">
        {announcement}
      </VisuallyHidden>
      <Card withBorder padding="sm" className="publishing-calendar" dir={direction} aria-busy={posts.isFetching || move.isPending}>
        <FullCalendar
          ref={calendar}
          plugins={[dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin]}
          initialView={VIEWS[view]}
          initialDate={date}
          headerToolbar={false}
          locales={LOCALES}
          locale={locale}
          firstDay={firstDayOfWeek(locale) % 7 /* FullCalendar counts from Sunday = 0; the same week as the posting queues */}
          direction={direction}
          timeZone="local"
          height={view === "week" ? 760 : "auto"}
          events={events}
          eventContent={renderEntry}
          eventDidMount={onMount}
          eventClick={onClick}
          eventDrop={onDrop}
          dateClick={onDateClick}
          datesSet={onDatesSet}
          editable={false}
          eventDurationEditable={false}
          eventDisplay="block"
          dayMaxEvents={4}
          moreLinkText={(count) => t("calendar.more", { count, formatted: formatNumber(count) })}
          noEventsContent={t("calendar.noPosts")}
          snapDuration="00:15:00"
          slotDuration="01:00:00"
          scrollTime="08:00:00"
          allDaySlot={false}
          nowIndicator
          defaultTimedEventDuration="01:00:00"
          eventTimeFormat={{ hour: "2-digit", minute: "2-digit", hour12: false }}
          slotLabelFormat={{ hour: "2-digit", minute: "2-digit", hour12: false }}
        />
      </Card>
      <Box component="section" aria-labelledby="calendar-legend">
        <Text size="sm" fw={600} id="calendar-legend" mb={6}>
          {t("calendar.legend")}
        </Text>
        <Group gap="md" wrap="wrap" component="ul" className="calendar-legend">
          {CALENDAR_STATES.map((state) => (
            <Group key={state} gap={6} wrap="nowrap" component="li">
              <span className="calendar-swatch" style={{ background: CALENDAR_COLORS[state].background, borderColor: CALENDAR_COLORS[state].border }} aria-hidden />
              <Text size="sm">{stateLabel(state)}</Text>
            </Group>
          ))}
        </Group>
      </Box>
      <Modal opened={pendingPause !== null} onClose={() => (pendingPause?.revert(), setPendingPause(null))} title={t("calendar.pausedTitle")} centered>
        <Stack>
          <Text size="sm">{t("calendar.pausedText", { reason: pendingPause?.reason ?? "" })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => (pendingPause?.revert(), setPendingPause(null))}>
              {t("calendar.keepTime")}
            </Button>
            <Button
              color="orange"
              onClick={() => {
                const pending = pendingPause!;
                setPendingPause(null);
                send(pending.post, pending.at, pending.revert, true);
              }}
            >
              {t("calendar.moveAnyway")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}

/** The first day a view shows for `date` (a month's first, a week's first), to compare with what is shown. */
function anchorOf(view: View, date: Date, shown: Date): Date {
  if (view === "week") {
    // Within the shown week: nothing to do.
    const end = new Date(shown);
    end.setDate(end.getDate() + 7);
    return date >= shown && date < end ? shown : date;
  }
  return new Date(date.getFullYear(), date.getMonth(), 1);
}
