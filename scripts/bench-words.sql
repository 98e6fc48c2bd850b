-- Words for the bench data's search columns (sourced by bench-data.sql,
-- and by scripts/bench.sh alone to bring bench data loaded before
-- sql/200 up to date): headlines, current titles and companies, and note
-- texts at a realistic density, so that the candidate search's FULLTEXT
-- rows measure what a real organisation's would cost.  A skill is ~2.5%
-- of candidates and of notes, a role ~8%, a company 0.5%, a city 10% of
-- candidates (their location) and ~2.5% of notes.  Deterministic: the
-- CRC32 of the row number (and a salt per word list) picks each word.
CREATE OR REPLACE FUNCTION bench_pick(n BIGINT, salt INT, k INT) RETURNS INT DETERMINISTIC
RETURN 1 + CRC32(CONCAT(salt, ':', n)) % k;
CREATE OR REPLACE FUNCTION bench_skill(n BIGINT) RETURNS VARCHAR(20) DETERMINISTIC
RETURN ELT(bench_pick(n, 0, 40), 'Python', 'Java', 'Kotlin', 'Go', 'Rust', 'Scala',
	'Ruby', 'PHP', 'TypeScript', 'JavaScript', 'React', 'Angular', 'Vue', 'Node',
	'Django', 'Spring', 'Kubernetes', 'Terraform', 'AWS', 'Azure', 'GCP', 'Docker',
	'Linux', 'PostgreSQL', 'MySQL', 'MongoDB', 'Kafka', 'Spark', 'Hadoop', 'Airflow',
	'Swift', 'Android', 'iOS', 'Flutter', 'Unity', 'Salesforce', 'SAP', 'Figma',
	'Tableau', 'Excel');
CREATE OR REPLACE FUNCTION bench_role(n BIGINT) RETURNS VARCHAR(20) DETERMINISTIC
RETURN ELT(bench_pick(n, 7, 12), 'Engineer', 'Developer', 'Architect', 'Consultant',
	'Analyst', 'Scientist', 'Lead', 'Manager', 'Specialist', 'Administrator',
	'Designer', 'Tester');
CREATE OR REPLACE FUNCTION bench_level(n BIGINT) RETURNS VARCHAR(20) DETERMINISTIC
RETURN ELT(bench_pick(n, 13, 5), 'Junior', 'Associate', 'Senior', 'Staff', 'Principal');
CREATE OR REPLACE FUNCTION bench_company(n BIGINT) RETURNS VARCHAR(60) DETERMINISTIC
RETURN CONCAT(ELT(bench_pick(n, 29, 20), 'Nordwind', 'Bluefin', 'Helix', 'Quantix',
	'Solaris', 'Brightline', 'Ironbark', 'Lumen', 'Vantage', 'Cobalt', 'Northstar',
	'Pinecrest', 'Redwood', 'Silverline', 'Tidewater', 'Everest', 'Falcon', 'Granite',
	'Harbor', 'Juniper'), ' ', ELT(bench_pick(n, 31, 10), 'Systems', 'Labs', 'Digital',
	'Analytics', 'Logistics', 'Health', 'Energy', 'Capital', 'Media', 'Robotics'));
CREATE OR REPLACE FUNCTION bench_city(n BIGINT) RETURNS VARCHAR(20) DETERMINISTIC
RETURN ELT(bench_pick(n, 41, 10), 'Berlin', 'London', 'Paris', 'Madrid', 'Lisbon',
	'Dublin', 'Warsaw', 'Remote', 'Amsterdam', 'Vienna');
CREATE OR REPLACE FUNCTION bench_note(n BIGINT) RETURNS VARCHAR(300) DETERMINISTIC
RETURN CONCAT(ELT(bench_pick(n, 53, 8),
	'Spoke with the candidate: strong ', 'Phone screen: solid ',
	'Referred by a colleague, worked on ', 'Recruiter call: ',
	'Portfolio review, good ', 'Coffee chat, curious about ',
	'Met at a meetup in ', 'Follow-up on the '),
	IF(bench_pick(n, 53, 8) = 7, CONCAT(bench_city(n), ', talked about '), ''),
	bench_skill(n + 101),
	ELT(bench_pick(n, 53, 8),
	' background, follow up next week.', ' experience, open to relocating.',
	' projects, prefers remote work.', ' skills fine, salary above the band.',
	' work, ask for references.', ', notice period three months.',
	'; send the job description.', CONCAT(' interview slot, office tour in ', bench_city(n), ' booked.')),
	' (', n, ')');
