/**
 * Words the demo templates draw from: the devices, apps, people and error codes an MSP helpdesk sees daily.
 * All names are invented. Variety here is what makes titles distinct and the text worth learning from.
 */
import type { Rng } from './prng';
import type { Vocabulary } from './template';

const FIRST = [
  'Maria', 'James', 'Priya', 'Tom', 'Aisha', 'Daniel', 'Sofia', 'Kevin', 'Linda', 'Marcus', 'Hannah', 'Luis',
  'Grace', 'Omar', 'Emily', 'Raj', 'Chloe', 'Victor', 'Nina', 'Derek', 'Fatima', 'Brian', 'Julia', 'Tyrone',
  'Mei', 'Patrick', 'Olga', 'Sean', 'Rosa', 'Ethan',
];
const LAST = [
  'Lopez', 'Chen', 'Patel', 'Walsh', 'Okafor', 'Schmidt', 'Nguyen', 'Brooks', 'Kowalski', 'Reyes', 'Hughes',
  'Turner', 'Ali', 'Fischer', 'Morgan', 'Silva', 'Kim', 'Baker', 'Novak', 'Grant', 'Dubois', 'Ramirez', 'Foster',
  'Sato', 'Mills',
];

const int = (min: number, max: number) => (rng: Rng) => String(rng.int(min, max));

export const VOCABULARY: Vocabulary = {
  first: FIRST,
  user: (rng) => `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
  /** Whoever writes the ticket; a slot of its own so that it stays apart from the {first}/{user} it is about. */
  author_first: FIRST,
  author: (rng) => `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
  company: [
    'Brightwater Dental', 'Summit Ridge Logistics', 'Carver & Lane LLP', 'Oakmont Realty', 'Bluefin Marine Supply',
    'Harbor Point Clinic', 'Keystone Builders', 'Redwood Accounting Group', 'Pinecrest Veterinary',
    'Northgate Manufacturing', 'Silverline Insurance', 'Maple Street Pediatrics', 'Granite Peak Engineering',
    'Lakeside Law Office', 'Cedar Valley Schools', 'Ironwood Fabrication', 'Coastal Home Health', 'Meridian Wealth Partners',
  ],
  dept: ['accounting', 'sales', 'HR', 'front desk', 'dispatch', 'marketing', 'operations', 'engineering', 'billing', 'warehouse'],
  site: [
    'the main office', 'the Denver branch', 'the warehouse', 'the front desk', 'the 2nd floor', 'reception',
    'conference room B', 'the clinic', 'the Riverside office', 'the shop floor', 'the north building',
  ],
  time: [
    'this morning', 'since yesterday', 'since the update last night', 'after lunch', 'for about an hour',
    'since Monday', 'since we came in today', 'on and off all week', 'since the power outage', 'after a reboot',
  ],
  day: ['Friday evening', 'Saturday morning', 'Tuesday night', 'Sunday', 'the 15th', 'Thursday after 6pm', 'Monday'],
  n: int(2, 12),
  ext: int(201, 489),
  laptop: ['Dell Latitude 5440', 'HP EliteBook 840', 'Lenovo ThinkPad T14', 'Surface Laptop 5', 'MacBook Pro', 'Dell XPS 13', 'Lenovo ThinkPad X1 Carbon'],
  desktop: ['Dell OptiPlex 7010', 'HP ProDesk 400', 'Lenovo ThinkCentre M70q', 'HP EliteDesk 800', 'iMac'],
  computer: ['laptop', 'PC', 'desktop', 'workstation', 'computer', 'Dell Latitude 5440', 'HP EliteBook 840', 'Lenovo ThinkPad T14', 'Dell OptiPlex 7010'],
  monitor: ['Dell P2422H monitor', 'LG 27-inch monitor', 'second monitor', 'Samsung curved monitor', 'external display'],
  peripheral: ['keyboard', 'mouse', 'docking station', 'Dell WD19 dock', 'USB headset', 'webcam', 'Lenovo USB-C dock', 'Jabra headset'],
  mobile: ['iPhone 14', 'iPhone 15', 'Samsung Galaxy S23', 'iPad', 'Pixel 8', 'company iPhone'],
  printer: [
    'HP LaserJet Pro M404', 'Brother MFC-L8900CDW', 'Ricoh IM C3000', 'Canon imageRUNNER', 'Xerox VersaLink C405',
    'Zebra label printer', 'front desk printer', 'accounting printer', 'copier', 'Kyocera TASKalfa',
  ],
  phone: ['Yealink T54W', 'Poly VVX 450', 'Cisco 8845', 'desk phone', 'Yealink T46U', 'conference phone'],
  firewall: ['FortiGate 60F', 'SonicWall TZ370', 'Meraki MX68', 'WatchGuard Firebox', 'firewall'],
  network_gear: ['Meraki MS120 switch', 'Aruba 2930F switch', 'UniFi switch', 'core switch', 'Meraki MR36 access point', 'UniFi access point'],
  ssid: ['Corp-WiFi', 'Guest-WiFi', 'OFFICE-5G', 'Staff', 'Clinic-Secure'],
  isp: ['Comcast', 'Spectrum', 'AT&T', 'Verizon Fios', 'Cox', 'Lumen'],
  server: ['FS01', 'DC01', 'SQL02', 'APP01', 'the file server', 'the QuickBooks server', 'TS01', 'the old server'],
  share: ['S: drive', 'shared drive', 'Accounting share', 'Scans folder', 'H: drive', 'Projects share', 'P: drive'],
  office_app: ['Outlook', 'Excel', 'Word', 'Teams', 'OneDrive', 'SharePoint', 'PowerPoint', 'OneNote'],
  lob_app: [
    'QuickBooks', 'Sage 50', 'Adobe Acrobat', 'AutoCAD', 'Dentrix', 'Salesforce', 'Zoom', 'Epicor', 'Xero',
    'Bluebeam', 'Eaglesoft', 'NetSuite', 'DocuSign', 'Clio', 'Procore', 'Bill.com',
  ],
  av: ['SentinelOne', 'Defender for Endpoint', 'Sophos', 'Huntress', 'Bitdefender', 'Webroot', 'CrowdStrike'],
  backup_product: ['Datto', 'Veeam', 'Acronis', 'Axcient', 'Azure Backup', 'Backblaze'],
  win_error: ['0x80070005', '0x800f081f', '0xc000021a', '0x80070643', '0x8024401c', '0x80004005'],
  mail_error: ['0x800CCC0E', '0x8004010F', '0x80040115', '0x800CCC92', 'error 17099'],
  smtp_error: ['550 5.7.1', '554 5.7.1', '550 5.1.1 user unknown', '452 4.3.1', '550 5.7.708', '421 4.7.0'],
  vpn_error: ['error 809', 'error 691', 'error 720', 'error 812', '"The remote connection was denied"', 'TLS handshake failed'],
  bsod: ['CRITICAL_PROCESS_DIED', 'IRQL_NOT_LESS_OR_EQUAL', 'MEMORY_MANAGEMENT', 'KERNEL_SECURITY_CHECK_FAILURE', 'PAGE_FAULT_IN_NONPAGED_AREA'],
  country: ['Nigeria', 'Russia', 'Brazil', 'Vietnam', 'Romania', 'North Korea', 'an unknown location'],
  port: ['443', '3389', '8443', '5060', '1194', '22', '9100'],
};
