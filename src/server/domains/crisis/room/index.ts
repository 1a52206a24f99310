/** The crisis room: timeline with notes and pins, tasks, internal status updates, statements with fast-track approval, live figures. */
export { listTimeline, addNote, pinEvent } from "./timeline-room";
export { listTasks, createTask, updateTask } from "./tasks";
export { listStatusUpdates, postStatusUpdate } from "./status-updates";
export { listStatements, createStatement, updateStatement, submitStatement, decideStatement, publishStatement, useReply, withdrawStatement } from "./statements";
export { crisisFigures } from "./figures";
export { unsafeRunRoomDeadlines } from "./deadlines";
export { unsafeWatchListening } from "./watch-listening";
export { mayActInRoom } from "./access";
