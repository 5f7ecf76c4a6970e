// Writes test/fixtures/scrub-examples.jsonl from the templates below: node scripts/make-scrub-examples.mjs test/fixtures/scrub-examples.jsonl
import { writeFileSync } from "node:fs";
const out = [];
const add = (text, spans = []) => { for (const s of spans) if (!text.includes(s.value)) throw new Error("missing " + s.value + " in " + text); out.push({ text, spans }); };
const emails = ["ana.souza@example.com.br","j.mueller@beispiel.de","priya.k+arena@mailbox.example.in","support@acme-widgets.example","kenji_t@example.co.jp","m.dubois@exemple.fr","lukas.nowak@przyklad.pl","rosa.garcia99@correo.example.es","o'brien@example.ie".replace("'",""),"dev-team@corp.example.org","li.wei@example.cn","sam@tiny.example.io"];
const emailCtx = ["Please reply to {v} when the report is ready.","Can you fix this git config?\n[user]\n  name = Ana\n  email = {v}","Schreib mir bitte an {v}, danke!","From: {v}\nSubject: refund request\nHi, my order never arrived.","ERROR 2024-03-11 12:01:09 mailer: bounce for <{v}> (550 mailbox full)","Écrivez-moi à {v} pour le devis.","const ADMIN = \"{v}\"; // who gets alerts","Mi correo es {v}, escríbeme.","Translate to Japanese: contact {v} for access.","users.insert({ name: 'Kim', email: '{v}' })","Why does my regex fail on {v}?","cc: {v}; please keep me in the loop"];
emails.forEach((e, i) => add(emailCtx[i % emailCtx.length].replace("{v}", e), [{ kind: "email", value: e }]));
emails.forEach((e, i) => add(emailCtx[(i + 5) % emailCtx.length].replace("{v}", e), [{ kind: "email", value: e }]));
const phones = ["+44 20 7946 0958","(212) 734-2019","+1 646 555 0187","030 12345678","0171 2345678","06 12 34 56 78","+33 1 42 68 53 00","+91 98765 43210","(11) 91234-5678","+55 21 99876-5432","03-1234-5678","090-1234-5678","+81 3-3224-9999","0412 345 678","+61 2 9374 4000","912 345 678","+34 612 34 56 78","02 1234 5678","+39 06 6982 1234","020 7946 0321","07911 123456","+49 89 1234567","212.734.2019","+1-415-867-5309","0049 30 901820","+48 22 123 45 67","+31 20 123 4567","+86 138 0013 8000","+52 55 1234 5678","+27 21 123 4567"];
const phoneCtx = ["Call me at {v} after six.","Meine Nummer ist {v}.","Mon numéro : {v}","Customer wrote: my phone {v} is not receiving the SMS code","Mi teléfono es {v}, llámame.","WhatsApp: {v}","Signature:\nBest,\nTom\nMobile {v}","contact.vcf has TEL;TYPE=cell:{v}","log: sms gateway sent OTP to {v} status=ok","Reach the hotline on {v} (Mon–Fri).","電話番号は {v} です。","Our office line is {v}, ask for Dana."];
phones.forEach((p, i) => add(phoneCtx[i % phoneCtx.length].replace("{v}", p), [{ kind: "phone", value: p }]));
phones.slice(0, 20).forEach((p, i) => add(phoneCtx[(i + 7) % phoneCtx.length].replace("{v}", p), [{ kind: "phone", value: p }]));
add("tel: 2125550143 or text me", [{ kind: "phone", value: "2125550143" }]);
add("phone number +14155550132 on file", [{ kind: "phone", value: "+14155550132" }]);
const secrets = [
 ["OPENAI_API_KEY=sk-proj-4fT9xQ2mLp8ZrV1cN7bW3yK6hJ0dE5sA","sk-proj-4fT9xQ2mLp8ZrV1cN7bW3yK6hJ0dE5sA"],
 ["client = OpenAI(api_key=\"sk-3kR8vN1qZ7pL2mX9cW4tY6bH0jF5gD1sA8eU\")","sk-3kR8vN1qZ7pL2mX9cW4tY6bH0jF5gD1sA8eU"],
 ["export ANTHROPIC_API_KEY=sk-ant-api03-Zq7Rm2Xv9KpL4wN1cT8yB6hJ3dF0sG5aE-uI2oP_9kL","sk-ant-api03-Zq7Rm2Xv9KpL4wN1cT8yB6hJ3dF0sG5aE-uI2oP_9kL"],
 ["git remote set-url origin https://ghp_a8Kd2LmQ9xR4vT7nB1cW6yZ3pH5jF0sE2gUi@github.com/me/repo","ghp_a8Kd2LmQ9xR4vT7nB1cW6yZ3pH5jF0sE2gUi"],
 ["token gho_Q2w9E8r7T6y5U4i3O2p1A0sDfGhJkLzXcVbN expired?","gho_Q2w9E8r7T6y5U4i3O2p1A0sDfGhJkLzXcVbN"],
 ["GITHUB_TOKEN: ghs_7Hk2Lm9Qx4Rv8Tn1Bc6Wy3Zp5Jf0SeAa2bC","ghs_7Hk2Lm9Qx4Rv8Tn1Bc6Wy3Zp5Jf0SeAa2bC"],
 ["use github_pat_11ABCDE2F0aZ9yX8wV7uT6_sR5qP4oN3mL2kJ1iH0gF9eD8cB7aZ6yX5wV4uT3sR2qP1 for CI","github_pat_11ABCDE2F0aZ9yX8wV7uT6_sR5qP4oN3mL2kJ1iH0gF9eD8cB7aZ6yX5wV4uT3sR2qP1"],
 ["[default]\naws_access_key_id = AKIAQ3EXAMPLE7XK2PLM\n","AKIAQ3EXAMPLE7XK2PLM"],
 ["aws_secret_access_key = wJa1rXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKQ","wJa1rXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKQ"],
 ["const maps = new Loader({ apiKey: \"AIzaSyD4k9Lm2Qx8Rv1Tn7Bc3Wy6Zp0Jf5SeGhU\" });","AIzaSyD4k9Lm2Qx8Rv1Tn7Bc3Wy6Zp0Jf5SeGhU"],
 ["SLACK_BOT_TOKEN=xoxb-2048163-7734159-kQ9mLx2RvT8nBc4W","xoxb-2048163-7734159-kQ9mLx2RvT8nBc4W"],
 ["stripe.api_key = 'sk_live_51Hq8ZkLm2Qx9Rv4Tn7Bc1Wy6'","sk_live_51Hq8ZkLm2Qx9Rv4Tn7Bc1Wy6"],
 ["restricted key rk_live_9Xk2Lm7Qp4Rv1Tn8Bc3Wy leaked in logs","rk_live_9Xk2Lm7Qp4Rv1Tn8Bc3Wy"],
 ["curl -H \"Authorization: Bearer 9f8Kd2LmQ9xR4vT7nB1cW6yZ3pH5\" https://api.example.com","9f8Kd2LmQ9xR4vT7nB1cW6yZ3pH5"],
 ["cookie session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.Qm9Lx2Rv8Tn4Bc7Wy1Zp3Jf6SeGh","eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.Qm9Lx2Rv8Tn4Bc7Wy1Zp3Jf6SeGh"],
 ["my key file:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx9Lm2Qx8Rv1Tn7Bc3Wy6Zp0Jf5SeGhUkLp\nq8Zk2Lm9Qx4Rv8Tn1Bc6Wy3Zp5Jf0Se\n-----END RSA PRIVATE KEY-----\nwhy does ssh reject it?","-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx9Lm2Qx8Rv1Tn7Bc3Wy6Zp0Jf5SeGhUkLp\nq8Zk2Lm9Qx4Rv8Tn1Bc6Wy3Zp5Jf0Se\n-----END RSA PRIVATE KEY-----"],
 ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----","-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----"],
 ["DATABASE_PASSWORD=Tr0ub4dor&3","Tr0ub4dor&3"],
 ["db:\n  user: app\n  password: \"kX9!mQ2#pL\"\n","kX9!mQ2#pL"],
 ["psql \"host=db user=app password=S3cr3tPa55\"","S3cr3tPa55"],
 ["{\"api_key\": \"a7F3kL9mQ2xR8vT1nB4c\", \"region\": \"eu\"}","a7F3kL9mQ2xR8vT1nB4c"],
 ["./deploy.sh --token=Zx81kLmq92Rv7Tn4 --env prod","Zx81kLmq92Rv7Tn4"],
 ["mysql -u root --password=hunter2024 shop","hunter2024"],
 ["WEBHOOK_SECRET: whsec_8Kd2LmQ9xR4vT7nB1cW6yZ3pH5jF","whsec_8Kd2LmQ9xR4vT7nB1cW6yZ3pH5jF"],
 ["the signing secret is 3Fz9Qk2Lm8Rv1Tn7Bc4Wy6Zp0Jf5Se, rotate it","3Fz9Qk2Lm8Rv1Tn7Bc4Wy6Zp0Jf5Se"],
 ["headers = {\"X-Api-Key\": \"Lm2Qx8Rv1Tn7Bc3Wy6Zp0Jf5SeGhU\"}","Lm2Qx8Rv1Tn7Bc3Wy6Zp0Jf5SeGhU"],
 ["Authorization: Bearer sk-ant-api03-Xx9Lm2Qv8Rk1Tn7Bc3Wy6Zp0Jf5SeGh-A","sk-ant-api03-Xx9Lm2Qv8Rk1Tn7Bc3Wy6Zp0Jf5SeGh-A"],
 ["passwd = 'Gq7#vN2!xz'","Gq7#vN2!xz"],
 ["REDIS_URL with access_token=8hJk2Lm9Qx4Rv8Tn1Bc6","8hJk2Lm9Qx4Rv8Tn1Bc6"],
 ["Mein Passwort ist geheim: password: Sommer2023!","Sommer2023!"],
];
secrets.forEach(([t, v]) => add(t, [{ kind: "secret", value: v }]));
secrets.slice(0, 16).forEach(([t, v]) => add("Can you tell me why this fails?\n" + t + "\nThanks", [{ kind: "secret", value: v }]));
const ips = ["203.0.113.42","198.51.100.7","192.168.1.23","10.12.4.200","172.16.9.1","8.8.4.4","2001:db8::1","2001:db8:85a3::8a2e:370:7334","fe80::1c2b:3dff:fe4e:5f60","2606:4700:4700::1111","100.64.3.9","81.2.69.160","2a02:1205:c6a1:7d90:1f0:8e6a:b2cd:19ef","::ffff:192.0.2.128","45.33.32.156"];
const ipCtx = ["nginx: 12/Mar/2024:10:14:22 client {v} GET /login 401","Why can't I ssh to {v}?","server {\n  listen {v}:8443;\n}","My home IP is {v}, is that static?","iptables -A INPUT -s {v} -j DROP","fail2ban banned {v} after 5 attempts","ping {v} shows 30% loss","ALLOWED_HOSTS = [\"{v}\"]"];
ips.forEach((ip, i) => add(ipCtx[i % ipCtx.length].replace("{v}", ip), [{ kind: "ip", value: ip }]));
ips.forEach((ip, i) => add(ipCtx[(i + 3) % ipCtx.length].replace("{v}", ip), [{ kind: "ip", value: ip }]));
add("ssh -i key.pem ubuntu@203.0.113.9 -p 2222", [{ kind: "ip", value: "203.0.113.9" }]);
add("Mixed: write to lena.fischer@example.de or call +49 30 901820, server 198.51.100.23", [{ kind: "email", value: "lena.fischer@example.de" }, { kind: "phone", value: "+49 30 901820" }, { kind: "ip", value: "198.51.100.23" }]);
add("Ticket #5521: user omar@example.net (phone 020 7946 0777) says key sk-proj-Q2w9E8r7T6y5U4i3O2p1A0sD broke", [{ kind: "email", value: "omar@example.net" }, { kind: "phone", value: "020 7946 0777" }, { kind: "secret", value: "sk-proj-Q2w9E8r7T6y5U4i3O2p1A0sD" }]);
const negatives = [
 "The meeting is on 2024-03-15 at 14:30.","Released 15.03.2024, see changelog.","Due date: 03/15/2024 10:00 AM","Upgrade from version 1.2.3 to 2.0.0-beta.1","node v22.12.0 is required","Python 3.11.4 on Windows 10.0.19045.3570","It costs $1,299.99 or €1 249,00","Total: 12 500 000 users in 2023","Price per token is 0.000015 USD","ISBN 978-3-16-148410-0 is the second edition","ISBN-10: 0-306-40615-2","The commit 3f2a9c1b7e4d8a6f0b5c2e9d1a7f3b8c4e6d0a2f broke the build","git checkout 9fceb02","id = \"550e8400-e29b-41d4-a716-446655440000\"","uuid: 123e4567-e89b-12d3-a456-426614174000","sha256sum: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","Coordinates 48.8566, 2.3522 are Paris","lat: 40.712776, lng: -74.005974","Compute 123456789 * 987654321","const BIG = 9007199254740991;","timestamp = 1700000000000","for (let i = 0; i < 1000000; i++) sum += i;","The derivative of x^2 + 3x - 7 is 2x + 3","Solve 3x + 5 = 20 for x","Listen on 0.0.0.0:3000","Connect to 127.0.0.1:5432 locally","subnet mask 255.255.255.0","Use the std::vector<int> and std::map","Time 12:30:45.123 elapsed","MAC 00:1a:2b:3c:4d:5e","ratio 16:9 and 4:3","Order #20240315 shipped","Invoice INV-2024-00123 paid","HTTP/1.1 200 OK","Chrome/120.0.6099.109 Safari/537.36","Use @types/node and @scope/pkg@1.4.2","![logo](assets/logo@2x.png)","password = input(\"Enter password: \")","token: string;","api_key = os.environ[\"OPENAI_API_KEY\"]","password: ${DB_PASSWORD}","API_KEY=<your key here>","secret = process.env.SESSION_SECRET","The word token appears 42 times","Set max_tokens=4096 and temperature=0.7","Port range 49152-65535","Population 8 336 817 in 2020","Build 20231114.3 failed","Windows KB5034441 update","Call the function fetchData() twice","Chapter 3.2.1 explains proofs","Pi is 3.14159265358979","e = 2.718281828459045","Distance 384 400 km to the moon","Serial number SN-48213-77 on the box","CVE-2024-3094 affects xz 5.6.0","PR #12345 merged into main","Error code 0x80070005 means access denied","Matrix [[1, 2], [3, 4]] has determinant -2","Random seed 424242 for reproducibility","Hash of the file: 5d41402abc4b2a76b9719d911017c592","Temperatures 21.5°C to 23.0°C","Sum 1 + 2 + 3 + ... + 100 = 5050","Frame 1920x1080 at 60 fps","HEX color #1e90ff and rgb(30, 144, 255)","key = \"theme\"","The year 1999 and 2000-2010 decade","Die Rechnung vom 12.04.2023 über 1.250,00 €","El 5 de mayo de 2021 a las 10:45","Ver. 10.4.2.1 of the firmware","version 4.3.2.1 changelog","cat /proc/meminfo | grep 16384000"
];
negatives.forEach((t) => add(t, []));
writeFileSync(process.argv[2], out.map((o) => JSON.stringify(o)).join("\n") + "\n");
console.log(out.length, "lines,", negatives.length, "negatives");
