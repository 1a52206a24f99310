// The crisis room's sections (timeline, tasks, status updates, statements, live figures), shown on a crisis's page
// under its header (features/crisis/CrisisPage.tsx). Filled in by the room's part of issue 7.
export function CrisisRoom(_props: { crisisId: string }) {
  return null;
}
