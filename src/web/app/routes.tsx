import { createBrowserRouter, Navigate, Outlet, useParams } from "react-router-dom";
import { AccountPage } from "../features/account/AccountPage";
import { ApiTokensPage } from "../features/account/ApiTokensPage";
import { SecurityPage } from "../features/account/SecurityPage";
import { SessionsPage } from "../features/account/SessionsPage";
import { AuditPage } from "../features/audit/AuditPage";
import { ForgotPasswordPage } from "../features/auth/ForgotPasswordPage";
import { InvitationPage } from "../features/auth/InvitationPage";
import { MfaChallengePage } from "../features/auth/MfaChallengePage";
import { MfaRequiredSetupPage } from "../features/auth/MfaRequiredSetupPage";
import { ResetPasswordPage } from "../features/auth/ResetPasswordPage";
import { SignInPage } from "../features/auth/SignInPage";
import { ChannelsPage } from "../features/channels/ChannelsPage";
import { ChannelAccessPage } from "../features/access/ChannelAccessPage";
import { AccessReviewPage } from "../features/access-review/AccessReviewPage";
import { AlertDestinationsPage } from "../features/alert-destinations/AlertDestinationsPage";
import { DrillsPage } from "../features/crisis-review/DrillsPage";
import { DrillPage } from "../features/crisis-review/DrillPage";
import { ReviewPage } from "../features/crisis-review/ReviewPage";
import { CrisesPage } from "../features/crisis/CrisesPage";
import { CrisisPage } from "../features/crisis/CrisisPage";
import { PlansPage } from "../features/crisis-plans/PlansPage";
import { PlanEditorPage } from "../features/crisis-plans/PlanEditorPage";
import { SeveritiesPage } from "../features/crisis-plans/SeveritiesPage";
import { ReconnectPage } from "../features/channels/ReconnectPage";
import { CrashPage, NotFoundPage } from "../features/errors/ErrorPages";
import { HomePage } from "../features/home/HomePage";
import { EditStreamPage, NewStreamPage } from "../features/listening/StreamEditorPage";
import { MentionsPage } from "../features/listening/MentionsPage";
import { StreamsBoardPage } from "../features/listening/StreamsBoardPage";
import { AlertsPage } from "../features/listening-alerts/AlertsPage";
import { AlertPage } from "../features/listening-alerts/AlertPage";
import { ImpostorsPage } from "../features/listening-alerts/ImpostorsPage";
import { MembersPage } from "../features/members/MembersPage";
import { OutboxPage } from "../features/outbox/OutboxPage";
import { SandboxPage } from "../features/sandbox/SandboxPage";
import { ApprovalQueuePage } from "../features/publishing/ApprovalQueuePage";
import { EditPostPage, NewPostPage } from "../features/publishing/ComposerPage";
import { ApprovalWorkflowsPage } from "../features/publishing/ApprovalWorkflowsPage";
import { PostingQueuesPage } from "../features/publishing/queues";
import { ExternalApprovalPage } from "../features/publishing/ExternalApprovalPage";
import { HeldPostsPage } from "../features/publishing/HeldPostsPage";
import { PostDetailPage } from "../features/publishing/PostDetailPage";
import { PostsPage } from "../features/publishing/PostsPage";
import { CalendarPage } from "../features/publishing/calendar/CalendarPage";
import { TeamsPage } from "../features/teams/TeamsPage";
import { SecuritySettingsPage } from "../features/workspace/SecuritySettingsPage";
import { WorkspaceSettingsPage } from "../features/workspace/WorkspaceSettingsPage";
import { AppLayout } from "./AppLayout";
import { PublicLayout } from "./PublicLayout";
import { RequireActive } from "./RequireActive";

/** /posts/:postId (the address mails give) is the post's page under Publishing. */
function PostLinkRedirect() {
  const { postId = "" } = useParams();
  return <Navigate to={`/publishing/posts/${encodeURIComponent(postId)}`} replace />;
}

/** Every page of the app. A page that does not exist yet is neither here nor in the navigation. */
export const router = createBrowserRouter([
  {
    element: <Outlet />,
    errorElement: <CrashPage />,
    children: [
      {
        element: <PublicLayout />,
        children: [
          { path: "sign-in", element: <SignInPage /> },
          { path: "forgot-password", element: <ForgotPasswordPage /> },
          { path: "reset-password", element: <ResetPasswordPage /> },
          { path: "invitation", element: <InvitationPage /> },
          { path: "reconnect", element: <ReconnectPage /> },
          // The link mailed to an external approver (external-links.ts).
          { path: "external-approval", element: <ExternalApprovalPage /> },
          { path: "mfa", element: <MfaChallengePage /> },
          { path: "mfa/setup", element: <MfaRequiredSetupPage /> },
        ],
      },
      {
        element: (
          <RequireActive>
            <AppLayout />
          </RequireActive>
        ),
        children: [
          { index: true, element: <HomePage /> },
          { path: "publishing", element: <PostsPage /> },
          { path: "publishing/new", element: <NewPostPage /> },
          { path: "publishing/calendar", element: <CalendarPage /> },
          { path: "publishing/held", element: <HeldPostsPage /> },
          { path: "publishing/approvals", element: <ApprovalQueuePage /> },
          { path: "publishing/posts/:postId", element: <PostDetailPage /> },
          { path: "publishing/posts/:postId/edit", element: <EditPostPage /> },
          { path: "listening", element: <StreamsBoardPage /> },
          { path: "listening/mentions", element: <MentionsPage /> },
          { path: "listening/streams/new", element: <NewStreamPage /> },
          { path: "listening/streams/:streamId/edit", element: <EditStreamPage /> },
          { path: "listening/alerts", element: <AlertsPage /> },
          { path: "listening/alerts/:alertId", element: <AlertPage /> },
          { path: "listening/impostors", element: <ImpostorsPage /> },
          // Links in mail about a post (see publish-failure-notice.ts).
          { path: "posts/:postId", element: <PostLinkRedirect /> },
          { path: "account", element: <AccountPage /> },
          { path: "account/sessions", element: <SessionsPage /> },
          { path: "account/security", element: <SecurityPage /> },
          { path: "account/api-tokens", element: <ApiTokensPage /> },
          { path: "settings/workspace", element: <WorkspaceSettingsPage /> },
          { path: "settings/channels", element: <ChannelsPage /> },
          { path: "settings/channel-access", element: <ChannelAccessPage /> },
          { path: "settings/approval-workflows", element: <ApprovalWorkflowsPage /> },
          { path: "settings/posting-queues", element: <PostingQueuesPage /> },
          { path: "settings/access-review", element: <AccessReviewPage /> },
          { path: "settings/alert-destinations", element: <AlertDestinationsPage /> },
          { path: "crisis", element: <CrisesPage /> },
          { path: "crisis/:crisisId", element: <CrisisPage /> },
          { path: "crisis/plans", element: <PlansPage /> },
          { path: "crisis/:crisisId/review", element: <ReviewPage /> },
          { path: "crisis/drills", element: <DrillsPage /> },
          { path: "crisis/drills/:drillId", element: <DrillPage /> },
          { path: "crisis/plans/:planId", element: <PlanEditorPage /> },
          { path: "crisis/severities", element: <SeveritiesPage /> },
          { path: "settings/members", element: <MembersPage /> },
          { path: "settings/teams", element: <TeamsPage /> },
          { path: "settings/security", element: <SecuritySettingsPage /> },
          { path: "settings/audit", element: <AuditPage /> },
          { path: "settings/outbox", element: <OutboxPage /> },
          { path: "settings/sandbox", element: <SandboxPage /> },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
