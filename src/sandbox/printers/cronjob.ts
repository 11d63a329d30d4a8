/** CronJob table (printers.go printCronJob). */
import type { KObject } from '../apiserver/types.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  type KindTablePrinter,
} from './columns.js';
import {
  containersAndImages,
  count,
  formatLabelSelector,
  str,
  translateTimestampSince,
} from './format.js';

export const cronJobColumns = [
  nameColumn(),
  column('Schedule', 'string', '', 0, 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
  column('Timezone', 'string', '', 0, 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones'),
  column('Suspend', 'boolean', '', 0, 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
  column('Active', 'integer', '', 0, 'A list of pointers to currently running jobs.'),
  column('Last Schedule', 'string', '', 0, 'Information when was the last time the job was successfully scheduled.'),
  ageColumn(),
  containersColumn(),
  imagesColumn(),
  column('Selector', 'string', '', 1, 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
];

export const cronJobTable: KindTablePrinter = {
  columns: cronJobColumns,
  cells(cj: KObject, now: Date): unknown[] {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [containers, images] = containersAndImages(jobSpec?.template?.spec);
    const suspend = cj.spec?.suspend;
    const timeZone = str(cj.spec?.timeZone);
    const lastSchedule = cj.status?.lastScheduleTime;
    return [
      str(cj.metadata?.name),
      str(cj.spec?.schedule),
      timeZone === '' && cj.spec?.timeZone == null ? '<none>' : timeZone,
      typeof suspend === 'boolean' ? (suspend ? 'True' : 'False') : '<unset>',
      count(cj.status?.active),
      lastSchedule == null ? '<none>' : translateTimestampSince(lastSchedule, now),
      translateTimestampSince(cj.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
